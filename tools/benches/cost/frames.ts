// The addresses of the cost scenarios, the stack they test, and the frames they feed it.
import { Interface } from "../../../net/iface/interface";
import { ipv4, mac } from "../../../net/wire/address";
import { EthernetFrame, ETHERTYPE_IPV4 } from "../../../net/wire/ethernet";
import { Icmpv4Repr, ICMP_ECHO_REQUEST } from "../../../net/wire/icmpv4";
import { Ipv4Repr, IP_PROTOCOL_ICMP } from "../../../net/wire/ipv4";

/** Our address and MAC, as the guest's on its user network. */
export const US = ipv4("10.0.2.15");
export const OUR_MAC = mac("52:54:00:12:34:56");
/** The peer's: the host's on that network. */
export const PEER = ipv4("10.0.2.2");
export const PEER_MAC = mac("52:55:0a:00:02:02");

/** The interface under test: our address, and the peer's MAC already known (no ARP in the rounds). */
export function our_interface(): Interface {
  const iface = new Interface({ hardware_addr: OUR_MAC, addresses: [{ address: US, prefix_len: 24 }] });
  iface.arp_cache.fill(0, PEER, PEER_MAC);
  return iface;
}

/** An ICMP echo request with 56 bytes of data (as ping sends it) from peer to us, as an Ethernet frame. */
export function echo_request(): Uint8Array {
  const frame = new Uint8Array(14 + 20 + 8 + 56);
  new EthernetFrame().point(frame, 0, 14).emit(OUR_MAC, PEER_MAC, ETHERTYPE_IPV4);
  const icmp = new Icmpv4Repr().echo(ICMP_ECHO_REQUEST, 0x4e4b, 1, new Uint8Array(56).fill(0x6e), 0, 56);
  const ip = new Ipv4Repr();
  ip.src_addr = PEER;
  ip.dst_addr = US;
  ip.protocol = IP_PROTOCOL_ICMP;
  ip.payload_len = icmp.buffer_len();
  ip.emit(frame, 14, true);
  icmp.emit(frame, 34, true);
  return frame;
}
