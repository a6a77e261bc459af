// What tcpdump prints for each kind of frame (tcpdump_line.ts), and the
// armored pcap stream of -w - (pcap_base64.ts), byte for byte.
import { strict as assert } from "assert";
import { PacketHeaders } from "../../kernel/services/shell/commands/net/packet_headers";
import { PcapBase64Stream, PCAP_BEGIN, PCAP_END } from "../../kernel/services/shell/commands/net/pcap_base64";
import { describe_frame, format_time } from "../../kernel/services/shell/commands/net/tcpdump_line";
import { PcapWriter } from "../../net/pcap";
import { ipv4, mac } from "../../net/wire/address";
import { ARP_REPLY, ARP_REQUEST } from "../../net/wire/arp";
import { ICMP_ECHO_REPLY, ICMP_ECHO_REQUEST, Icmpv4Repr, ICMP_CODE_PORT_UNREACHABLE, ICMP_DEST_UNREACHABLE } from "../../net/wire/icmpv4";
import { IP_PROTOCOL_ICMP } from "../../net/wire/ipv4";
import { TcpRepr, TCP_ACK, TCP_PSH, TCP_SYN } from "../../net/wire/tcp";
import { arp_frame, icmp_echo_frame, ip_frame, tcp_frame, udp_frame } from "../net/frames";

const HOST = ipv4("10.0.2.2");
const GUEST = ipv4("10.0.2.15");
const HOST_MAC = mac("52:54:00:12:35:02");
const GUEST_MAC = mac("52:54:00:12:34:56");

function line(frame: Uint8Array, numeric = true, caplen = frame.length): string {
  return describe_frame(new PacketHeaders().decode(frame, 0, caplen), frame.length, { numeric });
}

function segment(flags: number, seq: number, ack: number, payload: number, options: Partial<TcpRepr> = {}): Uint8Array {
  const repr = Object.assign(
    new TcpRepr(),
    { src_port: 40007, dst_port: 23, flags, seq_number: seq, ack_number: ack, window_len: 64240 },
    options,
  );
  repr.payload = new Uint8Array(payload);
  repr.payload_len = payload;
  return tcp_frame(GUEST_MAC, HOST_MAC, HOST, GUEST, repr);
}

describe("tcpdump: lines", () => {
  it("prints the time of day to the microsecond", () => {
    assert.equal(format_time(Date.UTC(2026, 10, 29, 13, 5, 9) * 1000 + 42), "13:05:09.000042");
  });

  it("prints ICMP echo with its id, sequence and length", () => {
    const request = icmp_echo_frame(GUEST_MAC, HOST_MAC, HOST, GUEST, ICMP_ECHO_REQUEST, 0x1234, 7, new Uint8Array(56));
    const reply = icmp_echo_frame(HOST_MAC, GUEST_MAC, GUEST, HOST, ICMP_ECHO_REPLY, 0x1234, 7, new Uint8Array(56));
    assert.equal(line(request), "IP 10.0.2.2 > 10.0.2.15: ICMP echo request, id 4660, seq 7, length 64");
    assert.equal(line(reply), "IP 10.0.2.15 > 10.0.2.2: ICMP echo reply, id 4660, seq 7, length 64");
  });

  it("prints the port an ICMP error says was unreachable", () => {
    const quoted = udp_frame(GUEST_MAC, HOST_MAC, HOST, GUEST, 40000, 4444, new Uint8Array(4)).subarray(14);
    const error = new Icmpv4Repr();
    Object.assign(error, {
      msg_type: ICMP_DEST_UNREACHABLE,
      code: ICMP_CODE_PORT_UNREACHABLE,
      payload: quoted,
      payload_len: quoted.length,
    });
    const frame = ip_frame(HOST_MAC, GUEST_MAC, GUEST, HOST, IP_PROTOCOL_ICMP, error.buffer_len(), (b, o) => error.emit(b, o, true));
    assert.equal(line(frame), "IP 10.0.2.15 > 10.0.2.2: ICMP 10.0.2.15 udp port 4444 unreachable, length 40");
  });

  it("prints ARP who-has and is-at", () => {
    assert.equal(
      line(arp_frame(0xffffffffffff, HOST_MAC, ARP_REQUEST, HOST_MAC, HOST, 0, GUEST)),
      "ARP, Request who-has 10.0.2.15 tell 10.0.2.2, length 28",
    );
    assert.equal(
      line(arp_frame(HOST_MAC, GUEST_MAC, ARP_REPLY, GUEST_MAC, GUEST, HOST_MAC, HOST)),
      "ARP, Reply 10.0.2.15 is-at 52:54:00:12:34:56, length 28",
    );
  });

  it("prints TCP flags, sequence range, ack, window, options and length", () => {
    assert.equal(
      line(segment(TCP_SYN, 1000, 0, 0, { max_seg_size: 1460, window_scale: 7 })),
      "IP 10.0.2.2.40007 > 10.0.2.15.23: Flags [S], seq 1000, win 64240, options [mss 1460,nop,wscale 7], length 0",
    );
    assert.equal(
      line(segment(TCP_PSH | TCP_ACK, 4294967290, 77, 10)),
      "IP 10.0.2.2.40007 > 10.0.2.15.23: Flags [P.], seq 4294967290:4, ack 77, win 64240, length 10",
    );
    assert.equal(line(segment(TCP_ACK, 1, 2, 0)), "IP 10.0.2.2.40007 > 10.0.2.15.23: Flags [.], ack 2, win 64240, length 0");
  });

  it("names well-known ports unless numeric (-n)", () => {
    assert.equal(line(segment(TCP_ACK, 1, 2, 0), false), "IP 10.0.2.2.40007 > 10.0.2.15.telnet: Flags [.], ack 2, win 64240, length 0");
  });

  it("prints UDP with its payload length", () => {
    assert.equal(
      line(udp_frame(HOST_MAC, GUEST_MAC, GUEST, HOST, 7, 40123, new Uint8Array(4))),
      "IP 10.0.2.15.7 > 10.0.2.2.40123: UDP, length 4",
    );
  });

  it("marks what the snap length cut off, and other ethertypes", () => {
    assert.equal(line(segment(TCP_ACK, 1, 2, 0), true, 14 + 20 + 10), "IP 10.0.2.2.40007 > 10.0.2.15.23: [|tcp]");
    assert.equal(line(udp_frame(HOST_MAC, GUEST_MAC, GUEST, HOST, 7, 9, new Uint8Array(4)), true, 20), "IP [|ip], length 32");
    const ipv6 = new Uint8Array(60);
    ipv6[12] = 0x86;
    ipv6[13] = 0xdd;
    assert.equal(line(ipv6), "ethertype 0x86dd, length 60");
  });
});

describe("tcpdump: -w - writes pcap in base64 between markers", () => {
  it("decodes to the very bytes PcapWriter makes, frame after frame", () => {
    const frames = [1, 2, 3, 4, 5].map((seq) =>
      icmp_echo_frame(GUEST_MAC, HOST_MAC, HOST, GUEST, ICMP_ECHO_REQUEST, 1, seq, new Uint8Array(seq * 11)),
    );
    const snaplen = 70; // the longer frames are cut
    const stream = new PcapBase64Stream(snaplen);
    const expected = new PcapWriter(snaplen);
    let text = stream.begin();
    frames.forEach((frame, i) => {
      const time_us = 1_780_000_000_000_000 + i * 1500;
      text += stream.frame(time_us, frame, 0, frame.length);
      expected.add(time_us, frame, 0, frame.length);
    });
    text += stream.end();
    const lines = text.split("\n");
    assert.equal(lines[0], PCAP_BEGIN);
    assert.equal(lines[lines.length - 2], PCAP_END);
    assert.equal(lines[lines.length - 1], "");
    const body = lines.slice(1, -2);
    assert.ok(
      body.every((l) => /^[A-Za-z0-9+/]+=*$/.test(l) && l.length <= 76),
      "plain base64 lines of at most 76 characters",
    );
    assert.ok(
      body.slice(0, -1).every((l) => !l.includes("=")),
      "padding only at the end",
    );
    assert.deepEqual(new Uint8Array(Buffer.from(body.join(""), "base64")), expected.bytes());
  });
});
