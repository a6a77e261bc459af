// One round: an ICMP echo request in, through the stack, and the reply out
// (poll_ingress_single until the device is empty, poll_egress, poll_at, as
// the NAPI poll calls them).
import { Interface } from "../../../net/iface/interface";
import { SocketSet } from "../../../net/socket/socket_set";
import { ipv4, mac } from "../../../net/wire/address";
import { EthernetFrame, ETHERTYPE_IPV4 } from "../../../net/wire/ethernet";
import { Icmpv4Repr, ICMP_ECHO_REQUEST } from "../../../net/wire/icmpv4";
import { Ipv4Repr, IP_PROTOCOL_ICMP } from "../../../net/wire/ipv4";
import { ReplayDevice, report, rounds, use_natives } from "./scenario";

use_natives();
const PEER = ipv4("10.0.2.2"),
  US = ipv4("10.0.2.15");
const PEER_MAC = mac("52:55:0a:00:02:02"),
  OUR_MAC = mac("52:54:00:12:34:56");

const request = new Uint8Array(14 + 20 + 8 + 56);
new EthernetFrame().point(request, 0, 14).emit(OUR_MAC, PEER_MAC, ETHERTYPE_IPV4);
const icmp = new Icmpv4Repr().echo(ICMP_ECHO_REQUEST, 0x4e4b, 1, new Uint8Array(56).fill(0x6e), 0, 56);
const ip = new Ipv4Repr();
ip.src_addr = PEER;
ip.dst_addr = US;
ip.protocol = IP_PROTOCOL_ICMP;
ip.payload_len = icmp.buffer_len();
ip.emit(request, 14, true);
icmp.emit(request, 34, true);

const iface = new Interface({ hardware_addr: OUR_MAC, addresses: [{ address: US, prefix_len: 24 }] });
const sockets = new SocketSet();
iface.arp_cache.fill(0, PEER, PEER_MAC);
const device = new ReplayDevice(1);
const frame = device.add(request);
let now = 1_000_000;
for (let i = 0, n = rounds(); i < n; i++) {
  device.queue.push(frame);
  now += 300;
  while (iface.poll_ingress_single(now, device, sockets)) {}
  iface.poll_egress(now, device, sockets);
  iface.poll_at(now, sockets);
}
report(`${device.sent} replies`);
