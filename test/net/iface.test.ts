import * as assert from "assert";
import { ARP_REACHABLE_US, MAX_RESOLVING } from "../../net/iface/arp_cache";
import { Interface } from "../../net/iface/interface";
import { SocketSet } from "../../net/socket/socket_set";
import { TcpSocket } from "../../net/socket/tcp";
import { UdpSocket } from "../../net/socket/udp";
import { TcpPacket, TcpRepr } from "../../net/wire/tcp";
import { ipv4, mac, MAC_BROADCAST } from "../../net/wire/address";
import { Drop } from "../../net/wire/error";
import { EthernetFrame, ETHERTYPE_ARP, ETHERTYPE_IPV4 } from "../../net/wire/ethernet";
import { Ipv4Packet } from "../../net/wire/ipv4";
import { Icmpv4Packet, ICMP_DEST_UNREACHABLE, ICMP_ECHO_REPLY } from "../../net/wire/icmpv4";
import { ArpPacket, ArpRepr } from "../../net/wire/arp";
import { arp_frame, icmp_echo_frame, ScriptDevice, udp_frame } from "./frames";

const ME = ipv4("10.0.0.1"),
  PEER = ipv4("10.0.0.2"),
  GATEWAY = ipv4("10.0.0.254"),
  FAR = ipv4("8.8.8.8");
const MY_MAC = mac("02:00:00:00:00:01"),
  PEER_MAC = mac("02:00:00:00:00:02"),
  GW_MAC = mac("02:00:00:00:00:fe");

function setup() {
  const iface = new Interface({ hardware_addr: MY_MAC, addresses: [{ address: ME, prefix_len: 24 }], gateway: GATEWAY });
  return { iface, device: new ScriptDevice(), sockets: new SocketSet() };
}

const eth = new EthernetFrame();
function ethertype(frame: Uint8Array): number {
  return eth.point(frame, 0, frame.length).ethertype();
}
function dst_mac(frame: Uint8Array): number {
  return eth.point(frame, 0, frame.length).dst_addr();
}
function syn_mss(frame: Uint8Array): number {
  const repr = new TcpRepr();
  repr.parse(new TcpPacket().point(frame, 34, frame.length - 34));
  return repr.max_seg_size;
}
function arp_of(frame: Uint8Array): ArpRepr {
  return new ArpRepr().parse(new ArpPacket().point(frame, 14, 28));
}

describe("net: interface", () => {
  it("answers ARP requests for its address only", () => {
    const { iface, device, sockets } = setup();
    device.inject(arp_frame(MAC_BROADCAST, PEER_MAC, 1, PEER_MAC, PEER, 0, ipv4("10.0.0.3")));
    device.inject(arp_frame(MAC_BROADCAST, PEER_MAC, 1, PEER_MAC, PEER, 0, ME));
    iface.poll_ingress_single(0, device, sockets);
    iface.poll_ingress_single(0, device, sockets);
    assert.strictEqual(device.sent.length, 1);
    const reply = arp_of(device.sent[0]);
    assert.deepStrictEqual(
      [reply.operation, reply.source_protocol_addr, reply.source_hardware_addr, reply.target_hardware_addr],
      [2, ME, MY_MAC, PEER_MAC],
    );
    assert.strictEqual(iface.stats.rx_dropped[Drop.NotForUs], 1);
  });

  it("queues packets while resolving, rate-limits requests, and flushes on reply", () => {
    const { iface, device, sockets } = setup();
    const udp = sockets.add_udp(new UdpSocket());
    udp.bind(1000);
    udp.send_slice(new Uint8Array([1]), PEER, 7);
    udp.send_slice(new Uint8Array([2]), PEER, 7);
    iface.poll_egress(0, device, sockets);
    assert.strictEqual(device.sent.length, 1, "one ARP request for two packets");
    assert.strictEqual(ethertype(device.sent[0]), ETHERTYPE_ARP);
    udp.send_slice(new Uint8Array([3]), PEER, 7);
    iface.poll_egress(500_000, device, sockets);
    assert.strictEqual(device.sent.length, 1, "no second request within the interval");
    device.inject(arp_frame(MY_MAC, PEER_MAC, 2, PEER_MAC, PEER, MY_MAC, ME));
    iface.poll_ingress_single(600_000, device, sockets);
    assert.strictEqual(device.sent.length, 4, "three queued packets flushed");
    for (const frame of device.sent.slice(1)) {
      assert.strictEqual(ethertype(frame), ETHERTYPE_IPV4);
      assert.strictEqual(dst_mac(frame), PEER_MAC);
    }
    assert.ok(iface.arp_cache.lookup(PEER) >= 0);
  });

  it("keeps sending through a stale entry while it asks the host by unicast, and drops the entry after three unanswered asks", () => {
    const { iface, device, sockets } = setup();
    const udp = sockets.add_udp(new UdpSocket());
    udp.bind(1000);
    iface.arp_cache.fill(0, PEER, PEER_MAC);
    const send = (now_us: number) => {
      const before = device.sent.length;
      udp.send_slice(new Uint8Array([1]), PEER, 7);
      iface.poll_egress(now_us, device, sockets);
      return device.sent.slice(before).map((frame) => [ethertype(frame), dst_mac(frame)]);
    };
    const data = [ETHERTYPE_IPV4, PEER_MAC];
    const probe = [ETHERTYPE_ARP, PEER_MAC];
    assert.deepStrictEqual(send(1_000_000), [data], "reachable: no ARP");
    const stale = ARP_REACHABLE_US + 1_000_000;
    assert.deepStrictEqual(send(stale), [probe, data], "stale: a unicast request asks, and the packet goes at once");
    assert.strictEqual(arp_of(device.sent[device.sent.length - 2]).operation, 1);
    assert.deepStrictEqual(send(stale + 500_000), [data], "at most one ask a second");
    // The host answers: the entry is reachable again and nothing more is asked.
    device.inject(arp_frame(MY_MAC, PEER_MAC, 2, PEER_MAC, PEER, MY_MAC, ME));
    iface.poll_ingress_single(stale + 600_000, device, sockets);
    assert.deepStrictEqual(send(stale + 2_000_000), [data]);
    // Silent from now on: three asks a second apart, then the entry is gone
    // and the next packet waits for a broadcast request.
    const later = stale + 600_000 + ARP_REACHABLE_US;
    assert.deepStrictEqual(send(later), [probe, data]);
    assert.deepStrictEqual(send(later + 1_000_000), [probe, data]);
    assert.deepStrictEqual(send(later + 2_000_000), [probe, data]);
    assert.deepStrictEqual(send(later + 3_000_000), [[ETHERTYPE_ARP, MAC_BROADCAST]], "failed: resolved afresh, the packet queued");
    assert.strictEqual(iface.arp_cache.failed, 1);
    assert.strictEqual(iface.arp_cache.lookup(PEER), -1);
  });

  it("asks for each silent address once a second, and a new neighbour's packet outlives a queue full of theirs", () => {
    const { iface, device, sockets } = setup();
    const udp = sockets.add_udp(new UdpSocket());
    udp.bind(1000);
    const silent = (i: number) => ipv4(`10.0.0.${100 + (i % 100)}`);
    const send = (now_us: number, to: number) => {
      udp.send_slice(new Uint8Array([1]), to, 7);
      iface.poll_egress(now_us, device, sockets);
    };
    for (let i = 0; i < 200; i++) send(i < 100 ? 0 : 500_000, silent(i));
    assert.strictEqual(device.sent.length, 100, "one request for each of 100 addresses, none again within the second");
    send(600_000, PEER);
    for (let i = 0; i < 31; i++) send(600_000, silent(i));
    assert.strictEqual(device.sent.length, 101, "a request for the new neighbour");
    device.inject(arp_frame(MY_MAC, PEER_MAC, 2, PEER_MAC, PEER, MY_MAC, ME));
    iface.poll_ingress_single(700_000, device, sockets);
    assert.strictEqual(device.sent.length, 102, "its packet was still queued");
    assert.strictEqual(dst_mac(device.sent[101]), PEER_MAC);
    assert.strictEqual(iface.unresolved_discards, 200, "the oldest of 232 parked packets made room for the newest 32");
    send(1_000_000, silent(0));
    assert.strictEqual(ethertype(device.sent[102]), ETHERTYPE_ARP, "asked again a second later");
  });

  it("resolves at most MAX_RESOLVING addresses at a time", () => {
    const iface = new Interface({ hardware_addr: MY_MAC, addresses: [{ address: ME, prefix_len: 16 }] });
    const device = new ScriptDevice();
    const sockets = new SocketSet();
    const udp = sockets.add_udp(new UdpSocket());
    udp.bind(1000);
    for (let i = 0; i < MAX_RESOLVING + 44; i++) {
      udp.send_slice(new Uint8Array([1]), ipv4("10.0.1.0") + i, 7);
      iface.poll_egress(i, device, sockets);
    }
    assert.strictEqual(device.sent.length, MAX_RESOLVING);
    assert.strictEqual(iface.arp_cache.resolving_full, 44);
    udp.send_slice(new Uint8Array([1]), ipv4("10.0.3.0"), 7);
    iface.poll_egress(1_000_000, device, sockets);
    assert.strictEqual(device.sent.length, MAX_RESOLVING + 1, "room again once the oldest requests are a second old");
  });

  it("announces a TCP MSS its link's MTU carries, as the MTU is when the connection opens, and sizes buffers for it", () => {
    const device = new ScriptDevice({ max_transmission_unit: 32014 });
    const iface = new Interface({ hardware_addr: MY_MAC, addresses: [{ address: ME, prefix_len: 24 }], link: device.capabilities });
    const sockets = new SocketSet();
    iface.arp_cache.fill(0, PEER, PEER_MAC);
    const connect = (socket: TcpSocket) => {
      sockets.add_tcp(socket);
      iface.tcp_connect(0, socket, PEER, 80, 40000 + device.sent.length);
      iface.poll_egress(0, device, sockets);
      return syn_mss(device.sent[device.sent.length - 1]);
    };
    const jumbo = new TcpSocket();
    assert.strictEqual(connect(jumbo), 32014 - 14 - 20 - 20);
    assert.strictEqual(jumbo.rx.capacity, 4 * 31960, "room for four segments in the receive window");
    assert.strictEqual(jumbo.tx.capacity, 4 * 31960);
    const fixed = new TcpSocket({ rx_buffer_size: 8192 });
    connect(fixed);
    assert.strictEqual(fixed.rx.capacity, 8192, "a size the caller chose stays");
    device.capabilities.max_transmission_unit = 1514; // ip link set dev X mtu 1500
    const classic = new TcpSocket();
    assert.strictEqual(connect(classic), 1460);
    assert.strictEqual(classic.rx.capacity, 64 * 1024, "the default, which holds four 1460-byte segments anyway");
  });

  it("routes off-subnet traffic via the gateway", () => {
    const { iface, device, sockets } = setup();
    iface.arp_cache.fill(0, GATEWAY, GW_MAC);
    const udp = sockets.add_udp(new UdpSocket());
    udp.send_slice(new Uint8Array([1]), FAR, 53);
    iface.poll_egress(0, device, sockets);
    assert.strictEqual(device.sent.length, 1);
    assert.strictEqual(dst_mac(device.sent[0]), GW_MAC);
    assert.strictEqual(new Ipv4Packet().point(device.sent[0], 14, device.sent[0].length - 14).dst_addr(), FAR);
  });

  it("replies to echo requests and rate-limits port unreachables", () => {
    const { iface, device, sockets } = setup();
    iface.arp_cache.fill(0, PEER, PEER_MAC);
    device.inject(icmp_echo_frame(MY_MAC, PEER_MAC, PEER, ME, 8, 9, 1, new Uint8Array([5, 6, 7])));
    iface.poll_ingress_single(0, device, sockets);
    const reply = device.sent[0];
    const icmp = new Icmpv4Packet().point(reply, 34, reply.length - 34);
    assert.strictEqual(icmp.check(true), 0);
    assert.deepStrictEqual([icmp.msg_type(), icmp.echo_ident(), icmp.echo_seq_no(), icmp.payload_len()], [ICMP_ECHO_REPLY, 9, 1, 3]);
    for (let i = 0; i < 50; i++) device.inject(udp_frame(MY_MAC, PEER_MAC, PEER, ME, 1, 9, new Uint8Array(20)));
    for (let i = 0; i < 50; i++) iface.poll_ingress_single(1000, device, sockets);
    const errors = device.sent.slice(1);
    assert.strictEqual(errors.length, 10, "burst of 10, then suppressed");
    assert.strictEqual(new Icmpv4Packet().point(errors[0], 34, errors[0].length - 34).msg_type(), ICMP_DEST_UNREACHABLE);
    assert.strictEqual(errors[0].length, 14 + 20 + 8 + (20 + 8 + 20), "quotes the whole datagram");
    assert.strictEqual(iface.stats.icmp_errors_suppressed, 40);
    assert.strictEqual(iface.stats.rx_dropped[Drop.NoSocket], 50);
  });

  it("quotes as much of an offending datagram as fits in 576 bytes (RFC 1812 §4.3.2.3)", () => {
    const { iface, device, sockets } = setup();
    iface.arp_cache.fill(0, PEER, PEER_MAC);
    device.inject(udp_frame(MY_MAC, PEER_MAC, PEER, ME, 1, 9, new Uint8Array(1000).fill(0x5a)));
    iface.poll_ingress_single(0, device, sockets);
    const error = device.sent[0];
    assert.strictEqual(error.length - 14, 576, "the ICMP error is 576 bytes of IPv4");
    const icmp = new Icmpv4Packet().point(error, 34, error.length - 34);
    assert.strictEqual(icmp.check(true), 0);
    const quote = error.subarray(34 + 8);
    assert.strictEqual(quote.length, 576 - 20 - 8);
    assert.deepStrictEqual(
      [quote[0], quote[9], quote[28], quote[quote.length - 1]],
      [0x45, 17, 0x5a, 0x5a],
      "IPv4 header, UDP, then payload",
    );
  });

  it("answers an echo request with the request itself, its type and checksum changed", () => {
    const { iface, device, sockets } = setup();
    iface.arp_cache.fill(0, PEER, PEER_MAC);
    // Payloads of odd and even lengths, and a request with a code other than 0, which the reply does not keep.
    const cases = [
      { ident: 0x1234, seq: 1, code: 0, data: new Uint8Array(0) },
      { ident: 0xffff, seq: 0xfffe, code: 0, data: Uint8Array.from([0xff, 0xff, 0xff]) },
      { ident: 7, seq: 300, code: 5, data: Uint8Array.from({ length: 57 }, (_, i) => (i * 37) & 0xff) },
    ];
    for (const c of cases) {
      const request = icmp_echo_frame(MY_MAC, PEER_MAC, PEER, ME, 8, c.ident, c.seq, c.data);
      request[34 + 1] = c.code;
      const sum = ((request[36] << 8) | request[37]) - c.code; // the checksum, corrected for the code (no carry here)
      request[36] = sum >>> 8;
      request[37] = sum & 0xff;
      device.inject(request);
    }
    while (iface.poll_ingress_single(0, device, sockets)) {}
    assert.strictEqual(device.sent.length, cases.length);
    cases.forEach((c, i) => {
      const reply = device.sent[i];
      const icmp = new Icmpv4Packet().point(reply, 34, reply.length - 34);
      assert.strictEqual(icmp.check(true), 0, `reply ${i}: its checksum`);
      assert.deepStrictEqual(
        [icmp.msg_type(), reply[35], icmp.echo_ident(), icmp.echo_seq_no(), [...reply.subarray(42)]],
        [ICMP_ECHO_REPLY, 0, c.ident, c.seq, [...c.data]],
        `reply ${i}`,
      );
    });
  });

  it("answers no echo sent to a broadcast address, on any of its subnets", () => {
    // A /24 and a /26: their directed broadcasts end in different host bits.
    const iface = new Interface({
      hardware_addr: MY_MAC,
      addresses: [
        { address: ME, prefix_len: 24 },
        { address: ipv4("192.168.7.65"), prefix_len: 26 },
      ],
    });
    const device = new ScriptDevice(),
      sockets = new SocketSet();
    iface.arp_cache.fill(0, PEER, PEER_MAC);
    for (const dst of ["10.0.0.255", "192.168.7.127", "255.255.255.255", "192.168.7.65", "10.0.0.1"]) {
      device.inject(icmp_echo_frame(MY_MAC, PEER_MAC, PEER, ipv4(dst), 8, 9, 1, new Uint8Array([5, 6, 7])));
    }
    while (iface.poll_ingress_single(0, device, sockets)) {}
    assert.strictEqual(iface.stats.rx_dropped[Drop.NotForUs], 3, "the three broadcasts");
    assert.strictEqual(device.sent.length, 2, "replies to the two unicast addresses");
  });

  it("drops frames for other MACs and unknown EtherTypes", () => {
    const { iface, device, sockets } = setup();
    device.inject(udp_frame(PEER_MAC, MY_MAC, PEER, ME, 1, 9, new Uint8Array(1)));
    const odd = udp_frame(MY_MAC, PEER_MAC, PEER, ME, 1, 9, new Uint8Array(1));
    odd[12] = 0x86;
    odd[13] = 0xdd;
    device.inject(odd);
    device.inject(new Uint8Array(5));
    for (let i = 0; i < 3; i++) iface.poll_ingress_single(0, device, sockets);
    assert.strictEqual(iface.stats.rx_dropped[Drop.NotForUs], 1);
    assert.strictEqual(iface.stats.rx_dropped[Drop.UnknownEthertype], 1);
    assert.strictEqual(iface.stats.rx_dropped[Drop.Truncated], 1);
    assert.strictEqual(iface.poll_ingress_single(0, device, sockets), 0, "None when idle");
  });
});
