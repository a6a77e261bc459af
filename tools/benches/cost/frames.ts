// The addresses of the cost scenarios, the stack they test, and the frames they feed it.
import { Interface } from "../../../net/iface/interface";
import { ipv4, mac } from "../../../net/wire/address";
import { write_mac } from "../../../net/wire/bytes";
import { EthernetFrame, ETHERTYPE_IPV4 } from "../../../net/wire/ethernet";
import { Icmpv4Repr, ICMP_ECHO_REQUEST } from "../../../net/wire/icmpv4";
import { Ipv4Repr, IP_PROTOCOL_ICMP, IP_PROTOCOL_TCP, IP_PROTOCOL_UDP } from "../../../net/wire/ipv4";
import { TcpRepr, TCP_ACK } from "../../../net/wire/tcp";
import { UdpRepr } from "../../../net/wire/udp";

/** Our address and MAC, as the guest's on its user network. */
export const US = ipv4("10.0.2.15");
export const OUR_MAC = mac("52:54:00:12:34:56");
const our_mac_bytes = new Uint8Array(6);
write_mac(our_mac_bytes, 0, OUR_MAC);
/** The same MAC as the six bytes a fake NIC is made with. */
export const OUR_MAC_BYTES = [...our_mac_bytes];
/** The peer's: the host's on that network. */
export const PEER = ipv4("10.0.2.2");
export const PEER_MAC = mac("52:55:0a:00:02:02");

/** The interface under test: our address, and the peer's MAC already known (no ARP in the rounds). */
export function our_interface(): Interface {
  const iface = new Interface({ hardware_addr: OUR_MAC, addresses: [{ address: US, prefix_len: 24 }] });
  iface.arp_cache.fill(0, PEER, PEER_MAC);
  return iface;
}

/** The IPv4 header of a packet from the peer to us. */
function ip_to_us(protocol: number, payload_len: number): Ipv4Repr {
  const ip = new Ipv4Repr();
  ip.src_addr = PEER;
  ip.dst_addr = US;
  ip.protocol = protocol;
  ip.payload_len = payload_len;
  return ip;
}

/** An ICMP echo request with 56 bytes of data (as ping sends it) from peer to us, as an Ethernet frame. */
export function echo_request(): Uint8Array {
  const frame = new Uint8Array(14 + 20 + 8 + 56);
  new EthernetFrame().point(frame, 0, 14).emit(OUR_MAC, PEER_MAC, ETHERTYPE_IPV4);
  const icmp = new Icmpv4Repr().echo(ICMP_ECHO_REQUEST, 0x4e4b, 1, new Uint8Array(56).fill(0x6e), 0, 56);
  const ip = ip_to_us(IP_PROTOCOL_ICMP, icmp.buffer_len());
  ip.emit(frame, 14, true);
  icmp.emit(frame, 34, true);
  return frame;
}

/** A UDP datagram of `payload_len` bytes from the peer's port 40000 to our `port`, as an Ethernet frame. */
export function udp_datagram(port: number, payload_len: number): Uint8Array {
  const udp = new UdpRepr();
  udp.src_port = 40000;
  udp.dst_port = port;
  udp.payload = new Uint8Array(payload_len).fill(0x6e);
  udp.payload_len = payload_len;
  const ip = ip_to_us(IP_PROTOCOL_UDP, udp.buffer_len());
  const frame = new Uint8Array(14 + ip.buffer_len());
  new EthernetFrame().point(frame, 0, 14).emit(OUR_MAC, PEER_MAC, ETHERTYPE_IPV4);
  ip.emit(frame, 14, true);
  udp.emit(frame, 34, PEER, US, true);
  return frame;
}

/** Bytes of data in each segment of stream_segments(). */
export const STREAM_MSS = 1460;

/**
 * `count` full, in-order segments of a bulk stream from the peer's port
 * 40000 to our `port`, from sequence number `seq` on, each acknowledging
 * `ack`, as Ethernet frames handed to `take` in order.
 */
export function stream_segments(port: number, seq: number, ack: number, count: number, take: (frame: Uint8Array) => void): void {
  const segment = new TcpRepr();
  segment.src_port = 40000;
  segment.dst_port = port;
  segment.ack_number = ack;
  segment.flags = TCP_ACK;
  segment.window_len = 0xffff;
  segment.payload = new Uint8Array(STREAM_MSS).fill(0x6e);
  segment.payload_len = STREAM_MSS;
  const ip = ip_to_us(IP_PROTOCOL_TCP, segment.buffer_len());
  for (let i = 0; i < count; i++, seq = (seq + STREAM_MSS) | 0) {
    const frame = new Uint8Array(14 + ip.buffer_len());
    new EthernetFrame().point(frame, 0, 14).emit(OUR_MAC, PEER_MAC, ETHERTYPE_IPV4);
    ip.emit(frame, 14, true);
    segment.seq_number = seq;
    segment.emit(frame, 34, PEER, US, true);
    take(frame);
  }
}
