import * as assert from "assert";
import { Interface } from "../../net/iface/interface";
import { SocketSet } from "../../net/socket/socket_set";
import { UdpSocket } from "../../net/socket/udp";
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
    assert.ok(iface.arp_cache.lookup(600_000, PEER) >= 0);
    assert.strictEqual(iface.arp_cache.lookup(600_000 + 61_000_000, PEER), -1, "entries expire");
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
