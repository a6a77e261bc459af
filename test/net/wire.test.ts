import * as assert from "assert";
import { checksum_js, copy_checksum_js, set_checksum_helper, checksum_finish, checksum_sum } from "../../net/wire/checksum";
import { ipv4, ipv4_cidr, ipv4_to_string, mac, mac_to_string, prefix_mask } from "../../net/wire/address";
import { Drop } from "../../net/wire/error";
import { EthernetFrame } from "../../net/wire/ethernet";
import { Ipv4Packet, IP_PROTOCOL_UDP } from "../../net/wire/ipv4";
import { UdpPacket } from "../../net/wire/udp";
import { TcpPacket, TcpRepr, TCP_SYN } from "../../net/wire/tcp";
import { ArpPacket, ArpRepr } from "../../net/wire/arp";
import { Icmpv4Packet } from "../../net/wire/icmpv4";
import { Assembler } from "../../net/storage/assembler";
import { RingBuffer } from "../../net/storage/ring_buffer";
import { PacketQueue } from "../../net/storage/packet_queue";
import { FragmentReassembler, Reassembly } from "../../net/iface/fragment";
import { arp_frame, ip_frame, tcp_frame, udp_frame } from "./frames";
import { PcapWriter } from "../../net/pcap";

const A = ipv4("192.168.0.1"),
  B = ipv4("192.168.0.2");
const MA = mac("02:00:00:00:00:0a"),
  MB = mac("02:00:00:00:00:0b");

describe("net: wire formats", () => {
  it("formats addresses as plain numbers", () => {
    assert.strictEqual(ipv4("10.0.0.1"), 0x0a000001);
    assert.strictEqual(ipv4_to_string(0xc0a80001), "192.168.0.1");
    assert.strictEqual(mac_to_string(mac("de:ad:be:ef:00:01")), "de:ad:be:ef:00:01");
    assert.strictEqual(prefix_mask(24), 0xffffff00);
    assert.strictEqual(prefix_mask(0), 0);
    assert.throws(() => ipv4("1.2.3"));
    assert.deepStrictEqual(ipv4_cidr("10.0.0.1/24"), { address: 0x0a000001, prefix_len: 24 });
    assert.deepStrictEqual(ipv4_cidr("10.0.0.1"), { address: 0x0a000001, prefix_len: 32 });
    for (const bad of ["10.0.0.1/33", "10.0.0.1/", "10.0.0.1/2x", "10.0.0.1/24/8", "10.0.0/24"]) assert.throws(() => ipv4_cidr(bad), bad);
  });

  it("computes the RFC 1071 checksum and uses an injected native helper", () => {
    // RFC 1071 §3 example: 00 01 f2 03 f4 f5 f6 f7 sums to 0xddf2.
    const data = new Uint8Array([0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7]);
    assert.strictEqual(checksum_js(data, 0, 8, 0), 0xddf2);
    assert.strictEqual(checksum_js(data, 0, 3, 0), 0x00 + 0x01 + 0xf200);
    let calls = 0;
    set_checksum_helper((d, o, l, i) => {
      calls++;
      return checksum_js(d, o, l, i);
    });
    try {
      const frame = udp_frame(MB, MA, A, B, 1, 2, new Uint8Array(10));
      const udp = new UdpPacket().point(frame, 34, frame.length - 34);
      assert.strictEqual(udp.check(A, B, true), Drop.None);
      assert.ok(calls >= 2, "used for emit and check");
    } finally {
      set_checksum_helper(null);
    }
    assert.strictEqual(checksum_finish(checksum_sum(new Uint8Array(0), 0, 0, 0)), 0xffff);
  });

  it("sums a payload as it copies it, so that headers summed apart still check", () => {
    const src = Uint8Array.from({ length: 41 }, (_, i) => (i * 37 + 11) & 0xff);
    for (const length of [0, 1, 2, 17, 40]) {
      const dst = new Uint8Array(48);
      const sum = copy_checksum_js(dst, 6, src, 1, length, 0x1234);
      assert.deepStrictEqual(dst.subarray(6, 6 + length), src.subarray(1, 1 + length));
      assert.strictEqual(sum, checksum_js(src, 1, length, 0x1234));
    }
    // Odd payloads after headers summed from their fields: each packet checks.
    for (const payload of [new Uint8Array(0), new Uint8Array([7]), new Uint8Array(33).fill(0xa5)]) {
      const frame = udp_frame(MB, MA, A, B, 1234, 53, payload);
      assert.strictEqual(new UdpPacket().point(frame, 34, frame.length - 34).check(A, B, true), Drop.None);
      const repr = new TcpRepr();
      repr.src_port = 1;
      repr.dst_port = 2;
      repr.max_seg_size = 1460; // options, summed in the header's pass
      repr.payload = payload;
      repr.payload_len = payload.length;
      const segment = tcp_frame(MB, MA, A, B, repr);
      assert.strictEqual(new TcpPacket().point(segment, 34, segment.length - 34).check(A, B, true), Drop.None);
    }
  });

  it("round-trips Ethernet + IPv4 + UDP", () => {
    const frame = udp_frame(MB, MA, A, B, 1234, 53, new Uint8Array([1, 2, 3]));
    const eth = new EthernetFrame().point(frame, 0, frame.length);
    assert.strictEqual(eth.check(), Drop.None);
    assert.strictEqual(eth.dst_addr(), MB);
    assert.strictEqual(eth.src_addr(), MA);
    const ip = new Ipv4Packet().point(frame, 14, frame.length - 14);
    assert.strictEqual(ip.check(true), Drop.None);
    assert.strictEqual(ip.src_addr(), A);
    assert.strictEqual(ip.protocol(), IP_PROTOCOL_UDP);
    const udp = new UdpPacket().point(frame, ip.payload_offset(), ip.payload_len());
    assert.strictEqual(udp.check(A, B, true), Drop.None);
    assert.strictEqual(udp.dst_port(), 53);
    assert.strictEqual(udp.payload_len(), 3);
  });

  it("rejects hostile IPv4 headers with typed errors", () => {
    const frame = udp_frame(MB, MA, A, B, 1, 2, new Uint8Array(4));
    const ip = new Ipv4Packet();
    assert.strictEqual(ip.point(frame, 14, 10).check(true), Drop.Truncated);
    const bad = (mutate: (b: Uint8Array) => void) => {
      const f = frame.slice();
      mutate(f);
      return ip.point(f, 14, f.length - 14).check(true);
    };
    assert.strictEqual(
      bad((f) => {
        f[14] = 0x65;
      }),
      Drop.BadVersion,
    );
    assert.strictEqual(
      bad((f) => {
        f[14] = 0x44;
      }),
      Drop.BadHeaderLength,
    );
    assert.strictEqual(
      bad((f) => {
        f[14] = 0x4f;
      }),
      Drop.BadHeaderLength,
    );
    assert.strictEqual(
      bad((f) => {
        f[17] = 200;
      }),
      Drop.BadLength,
    );
    assert.strictEqual(
      bad((f) => {
        f[22] ^= 1;
      }),
      Drop.BadChecksum,
    );
  });

  it("rejects bad UDP lengths and checksums, accepts checksum 0", () => {
    const frame = udp_frame(MB, MA, A, B, 1, 2, new Uint8Array(4));
    const udp = new UdpPacket();
    const f = frame.slice();
    f[39] = 2; // length 2 < 8
    assert.strictEqual(udp.point(f, 34, 12).check(A, B, true), Drop.BadLength);
    const g = frame.slice();
    g[42] ^= 0xff;
    assert.strictEqual(udp.point(g, 34, 12).check(A, B, true), Drop.BadChecksum);
    g[40] = 0;
    g[41] = 0;
    assert.strictEqual(udp.point(g, 34, 12).check(A, B, true), Drop.None);
  });

  it("parses and emits TCP options, rejecting malformed ones", () => {
    const repr = new TcpRepr();
    repr.src_port = 1;
    repr.dst_port = 2;
    repr.seq_number = -5;
    repr.flags = TCP_SYN;
    repr.max_seg_size = 1400;
    repr.window_scale = 7;
    repr.sack_permitted = true;
    repr.window_len = 1000;
    const frame = tcp_frame(MB, MA, A, B, repr);
    const packet = new TcpPacket().point(frame, 34, frame.length - 34);
    assert.strictEqual(packet.check(A, B, true), Drop.None);
    const parsed = new TcpRepr();
    assert.strictEqual(parsed.parse(packet), Drop.None);
    assert.deepStrictEqual([parsed.seq_number, parsed.max_seg_size, parsed.window_scale, parsed.sack_permitted], [-5, 1400, 7, true]);
    // An option whose length runs past the header.
    const f = frame.slice();
    f[54] = 2;
    f[55] = 40;
    assert.strictEqual(parsed.parse(new TcpPacket().point(f, 34, f.length - 34)), Drop.BadOption);
    const g = frame.slice();
    g[55] = 3; // MSS with length 3
    assert.strictEqual(parsed.parse(new TcpPacket().point(g, 34, g.length - 34)), Drop.BadOption);
    const h = frame.slice();
    h[46] = 0x10; // data offset 4 words
    assert.strictEqual(new TcpPacket().point(h, 34, h.length - 34).check(A, B, false), Drop.BadHeaderLength);
  });

  it("parses ARP and rejects other hardware types", () => {
    const frame = arp_frame(MB, MA, 1, MA, A, 0, B);
    const packet = new ArpPacket().point(frame, 14, 28);
    assert.strictEqual(packet.check(), Drop.None);
    const repr = new ArpRepr().parse(packet);
    assert.deepStrictEqual(
      [repr.operation, repr.source_hardware_addr, repr.source_protocol_addr, repr.target_protocol_addr],
      [1, MA, A, B],
    );
    frame[15] = 6; // IEEE 802 hardware type
    assert.strictEqual(packet.check(), Drop.UnsupportedArp);
    assert.strictEqual(packet.point(frame, 14, 27).check(), Drop.Truncated);
  });

  it("checks ICMP length and checksum", () => {
    const icmp = new Icmpv4Packet();
    assert.strictEqual(icmp.point(new Uint8Array(7), 0, 7).check(true), Drop.Truncated);
    assert.strictEqual(icmp.point(new Uint8Array([8, 0, 0, 0, 0, 0, 0, 1]), 0, 8).check(true), Drop.BadChecksum);
  });
});

describe("net: storage", () => {
  it("assembler merges ranges and bounds their number", () => {
    const a = new Assembler(2);
    assert.ok(a.add(10, 5));
    assert.ok(a.add(20, 5));
    assert.ok(!a.add(30, 5), "a third hole does not fit");
    assert.ok(a.add(15, 5), "bridges the two ranges");
    assert.strictEqual(a.range_count(), 1);
    assert.strictEqual(a.front_len(), 0);
    assert.ok(a.add(0, 12));
    assert.strictEqual(a.remove_front(), 25);
    assert.ok(a.is_empty());
  });

  it("ring buffer wraps and writes out-of-order data past its end", () => {
    const r = new RingBuffer(8);
    assert.strictEqual(r.enqueue_slice(new Uint8Array([1, 2, 3, 4, 5, 6]), 0, 6), 6);
    const out = new Uint8Array(8);
    assert.strictEqual(r.dequeue_slice(out, 0, 4), 4);
    assert.strictEqual(r.write_unallocated(2, new Uint8Array([9, 9, 9, 9]), 0, 4), 4);
    assert.strictEqual(r.enqueue_slice(new Uint8Array([7, 8]), 0, 2), 2);
    r.enqueue_unallocated(4);
    assert.strictEqual(r.len(), 8);
    assert.strictEqual(r.dequeue_slice(out, 0, 8), 8);
    assert.deepStrictEqual(Array.from(out), [5, 6, 7, 8, 9, 9, 9, 9]);
  });

  it("ring buffer takes memory only as data comes, growing in order up to its capacity", () => {
    const r = new RingBuffer(64 * 1024);
    assert.strictEqual(r.storage.length, 0, "nothing until the first byte");
    const data = new Uint8Array(3000).map((_, i) => i & 0xff);
    const out = new Uint8Array(64 * 1024);
    assert.strictEqual(r.enqueue_slice(data, 0, 1500), 1500);
    assert.strictEqual(r.storage.length, 2048);
    assert.strictEqual(r.dequeue_slice(out, 0, 1000), 1000); // the read position moves, so the next growth must unwrap
    assert.strictEqual(r.enqueue_slice(data, 1500, 1500), 1500);
    assert.strictEqual(r.write_unallocated(500, data, 0, 100), 100, "out-of-order data staged past the end");
    assert.ok(r.storage.length >= 2600 && r.storage.length <= 64 * 1024);
    r.enqueue_unallocated(0);
    assert.strictEqual(r.dequeue_slice(out, 0, 2000), 2000);
    assert.deepStrictEqual(Array.from(out.subarray(0, 2000)), Array.from(data.subarray(1000, 3000)));
    assert.strictEqual(r.window(), 64 * 1024, "the window is the capacity, whatever memory is held");
  });

  it("packet queue keeps each datagram contiguous", () => {
    const q = new PacketQueue(4, 10);
    assert.strictEqual(q.enqueue(6, 1, 1), 0);
    q.dequeue();
    assert.strictEqual(q.enqueue(3, 2, 2), 0, "an empty queue restarts at 0");
    assert.strictEqual(q.enqueue(6, 3, 3), 3);
    assert.strictEqual(q.enqueue(2, 4, 4), -1, "no room");
    q.dequeue();
    assert.strictEqual(q.enqueue(2, 5, 5), 0, "wraps to the front");
    assert.strictEqual(q.peek_addr(), 3);
  });
});

describe("net: IPv4 fragment reassembly", () => {
  function fragment(ident: number, offset: number, more: boolean, payload: Uint8Array): Ipv4Packet {
    const frame = ip_frame(MB, MA, A, B, IP_PROTOCOL_UDP, payload.length, (b, o) => b.set(payload, o));
    frame[14 + 4] = ident >> 8;
    frame[14 + 5] = ident & 255;
    const field = (more ? 0x2000 : 0) | (offset / 8);
    frame[14 + 6] = field >> 8;
    frame[14 + 7] = field & 255;
    return new Ipv4Packet().point(frame, 14, frame.length - 14);
  }

  it("reassembles out-of-order fragments", () => {
    const r = new FragmentReassembler(2, 4096);
    const part = (n: number, fill: number) => new Uint8Array(n).fill(fill);
    assert.strictEqual(r.process(0, fragment(1, 16, false, part(5, 3))), Reassembly.Pending);
    assert.strictEqual(r.process(0, fragment(1, 0, true, part(8, 1))), Reassembly.Pending);
    assert.strictEqual(r.process(0, fragment(1, 8, true, part(8, 2))), Reassembly.Complete);
    assert.strictEqual(r.length, 21);
    assert.deepStrictEqual(Array.from(r.buffer.subarray(0, 21)), [...part(8, 1), ...part(8, 2), ...part(5, 3)]);
  });

  it("bounds memory and time", () => {
    const r = new FragmentReassembler(1, 64);
    assert.strictEqual(r.process(0, fragment(1, 0, true, new Uint8Array(8))), Reassembly.Pending);
    assert.strictEqual(r.process(0, fragment(2, 0, true, new Uint8Array(8))), Reassembly.Dropped, "no free slot");
    assert.strictEqual(r.process(0, fragment(1, 64, false, new Uint8Array(8))), Reassembly.Dropped, "too large");
    assert.strictEqual(r.process(0, fragment(3, 0, true, new Uint8Array(8))), Reassembly.Pending, "slot freed");
    assert.strictEqual(r.process(20_000_000, fragment(4, 0, true, new Uint8Array(8))), Reassembly.Pending, "old one expired");
    assert.strictEqual(
      r.process(40_000_000, fragment(5, 0, true, new Uint8Array(7))),
      Reassembly.Dropped,
      "non-final fragment must be a multiple of 8",
    );
  });

  it("takes a slot per datagram up to its bound, and a freed one again", () => {
    const r = new FragmentReassembler(2, 64);
    assert.strictEqual(r.process(0, fragment(1, 0, true, new Uint8Array(8).fill(1))), Reassembly.Pending);
    assert.strictEqual(r.process(0, fragment(2, 0, true, new Uint8Array(8).fill(2))), Reassembly.Pending);
    assert.strictEqual(r.process(0, fragment(3, 0, true, new Uint8Array(8))), Reassembly.Dropped, "both slots taken");
    assert.strictEqual(r.process(0, fragment(1, 8, false, new Uint8Array(4).fill(3))), Reassembly.Complete);
    assert.deepStrictEqual(Array.from(r.buffer.subarray(0, r.length)), [1, 1, 1, 1, 1, 1, 1, 1, 3, 3, 3, 3]);
    assert.strictEqual(r.process(0, fragment(3, 8, false, new Uint8Array(2).fill(4))), Reassembly.Pending, "datagram 1's slot, free again");
    assert.strictEqual(r.process(0, fragment(3, 0, true, new Uint8Array(8).fill(5))), Reassembly.Complete);
    assert.deepStrictEqual(Array.from(r.buffer.subarray(0, r.length)), [5, 5, 5, 5, 5, 5, 5, 5, 4, 4]);
    assert.strictEqual(r.process(0, fragment(2, 8, false, new Uint8Array(1).fill(6))), Reassembly.Complete, "datagram 2 waited");
    assert.deepStrictEqual(Array.from(r.buffer.subarray(0, r.length)), [2, 2, 2, 2, 2, 2, 2, 2, 6]);
  });

  it("drops the whole datagram when fragments overlap, and counts it (RFC 5722)", () => {
    const r = new FragmentReassembler(2, 4096);
    assert.strictEqual(r.process(0, fragment(1, 0, true, new Uint8Array(16).fill(1))), Reassembly.Pending);
    assert.strictEqual(r.process(0, fragment(1, 8, true, new Uint8Array(16).fill(2))), Reassembly.Dropped, "overlaps bytes 8..15");
    assert.strictEqual(r.overlaps, 1);
    // What came before is gone: the rest does not complete a datagram.
    assert.strictEqual(r.process(0, fragment(1, 16, false, new Uint8Array(8))), Reassembly.Pending);
    assert.strictEqual(r.process(0, fragment(1, 16, false, new Uint8Array(8))), Reassembly.Dropped, "an exact duplicate overlaps too");
    assert.strictEqual(r.overlaps, 2);
  });

  it("drops a datagram whose fragments reach past its last fragment's end", () => {
    const r = new FragmentReassembler(2, 4096);
    assert.strictEqual(r.process(0, fragment(1, 8, false, new Uint8Array(8))), Reassembly.Pending);
    assert.strictEqual(r.process(0, fragment(1, 16, true, new Uint8Array(8))), Reassembly.Dropped, "past the end");
    assert.strictEqual(r.process(0, fragment(2, 32, true, new Uint8Array(8))), Reassembly.Pending);
    assert.strictEqual(r.process(0, fragment(2, 8, false, new Uint8Array(8))), Reassembly.Dropped, "an end before data already taken");
    assert.strictEqual(r.overlaps, 0);
  });
});

describe("net: pcap writer", () => {
  it("writes a classic pcap file with one record per frame", () => {
    const writer = new PcapWriter();
    writer.add(1_500_000, new Uint8Array([1, 2, 3, 4]), 1, 2);
    const bytes = writer.bytes();
    const view = new DataView(bytes.buffer);
    assert.strictEqual(view.getUint32(0, true), 0xa1b2c3d4);
    assert.strictEqual(view.getUint32(20, true), 1, "LINKTYPE_ETHERNET");
    assert.deepStrictEqual([view.getUint32(24, true), view.getUint32(28, true), view.getUint32(32, true)], [1, 500_000, 2]);
    assert.deepStrictEqual(Array.from(bytes.subarray(40)), [2, 3]);
  });
});
