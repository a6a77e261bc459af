// The headers of a captured Ethernet frame, decoded once for tcpdump's filter
// and its printer. Captures may be cut short (the snap length) or malformed,
// so every field is read only if the bytes are there; what is missing stays
// at its "absent" value (-1 for ports, false for the flags).
import { ETHERNET_HEADER_LEN, ETHERTYPE_ARP, ETHERTYPE_IPV4 } from "../../../../../net/wire/ethernet";
import { IP_PROTOCOL_TCP, IP_PROTOCOL_UDP } from "../../../../../net/wire/ipv4";
import { NO_BYTES, read_u16, read_u32 } from "../../../../../net/wire/bytes";

/** An ARP packet for IPv4 over Ethernet is this long. */
const ARP_IPV4_LEN = 28;
const IPV4_MIN_HEADER = 20;

/** What tcpdump needs to know of one frame; decode() refills it for the next. */
export class PacketHeaders {
  buffer: Uint8Array = NO_BYTES;
  /** Where the frame starts in `buffer`, and how many of its bytes were captured. */
  offset = 0;
  caplen = 0;
  ethertype = -1;
  /** An ARP packet for IPv4 over Ethernet, whole: the arp_ fields hold. */
  arp = false;
  arp_operation = 0;
  /** Where the sender's and the target's hardware addresses are in `buffer`. */
  arp_sha_offset = 0;
  arp_tha_offset = 0;
  arp_spa = 0;
  arp_tpa = 0;
  /** A whole IPv4 header: the ip_ fields hold. */
  ip = false;
  ip_src = 0;
  ip_dst = 0;
  ip_protocol = -1;
  ip_header_len = 0;
  ip_total_len = 0;
  ip_ident = 0;
  ip_ttl = 0;
  /** The fragment offset in bytes, and the more-fragments flag. */
  fragment_offset = 0;
  more_fragments = false;
  /** Where the transport header starts in `buffer` (after the IPv4 header). */
  transport_offset = 0;
  /** The transport's length by the IPv4 header: what was sent, captured or not. */
  transport_len = 0;
  /** TCP or UDP ports of an unfragmented datagram or a first fragment whose ports were captured; -1 otherwise. */
  src_port = -1;
  dst_port = -1;

  /** Decode the frame at buffer[offset, offset + caplen). */
  decode(buffer: Uint8Array, offset: number, caplen: number): this {
    this.buffer = buffer;
    this.offset = offset;
    this.caplen = caplen;
    this.arp = this.ip = false;
    this.ip_protocol = this.src_port = this.dst_port = -1;
    this.ethertype = caplen >= ETHERNET_HEADER_LEN ? read_u16(buffer, offset + 12) : -1;
    const l3 = offset + ETHERNET_HEADER_LEN;
    const l3_captured = caplen - ETHERNET_HEADER_LEN;
    if (this.ethertype === ETHERTYPE_ARP) this.decode_arp(l3, l3_captured);
    else if (this.ethertype === ETHERTYPE_IPV4) this.decode_ipv4(l3, l3_captured);
    return this;
  }

  private decode_arp(at: number, captured: number): void {
    const b = this.buffer;
    // Hardware type Ethernet (1), protocol IPv4, address lengths 6 and 4.
    if (captured < ARP_IPV4_LEN || read_u16(b, at) !== 1 || read_u16(b, at + 2) !== ETHERTYPE_IPV4 || b[at + 4] !== 6 || b[at + 5] !== 4)
      return;
    this.arp = true;
    this.arp_operation = read_u16(b, at + 6);
    this.arp_sha_offset = at + 8;
    this.arp_spa = read_u32(b, at + 14);
    this.arp_tha_offset = at + 18;
    this.arp_tpa = read_u32(b, at + 24);
  }

  private decode_ipv4(at: number, captured: number): void {
    const b = this.buffer;
    if (captured < IPV4_MIN_HEADER || b[at] >> 4 !== 4) return;
    const header_len = (b[at] & 0x0f) * 4;
    if (header_len < IPV4_MIN_HEADER || captured < header_len) return;
    this.ip = true;
    this.ip_header_len = header_len;
    this.ip_total_len = read_u16(b, at + 2);
    this.ip_ident = read_u16(b, at + 4);
    const fragment = read_u16(b, at + 6);
    this.more_fragments = (fragment & 0x2000) !== 0;
    this.fragment_offset = (fragment & 0x1fff) * 8;
    this.ip_ttl = b[at + 8];
    this.ip_protocol = b[at + 9];
    this.ip_src = read_u32(b, at + 12);
    this.ip_dst = read_u32(b, at + 16);
    this.transport_offset = at + header_len;
    this.transport_len = Math.max(0, this.ip_total_len - header_len);
    const ports_captured = captured >= header_len + 4;
    if (this.fragment_offset === 0 && ports_captured && (this.ip_protocol === IP_PROTOCOL_TCP || this.ip_protocol === IP_PROTOCOL_UDP)) {
      this.src_port = read_u16(b, this.transport_offset);
      this.dst_port = read_u16(b, this.transport_offset + 2);
    }
  }

  /** Bytes of the transport header and payload that were captured. */
  transport_captured(): number {
    return Math.max(0, this.offset + this.caplen - this.transport_offset);
  }
}
