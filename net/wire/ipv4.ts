// IPv4 header (RFC 791). Options are accepted and skipped; the interface never emits them.
import { checksum_finish, checksum_sum } from "./checksum";
import { Drop } from "./error";
import { PacketView } from "./packet_view";

/** Bytes in an IPv4 header without options (IHL 5), the only size we emit. */
export const IPV4_HEADER_LEN = 20;
/** IPv4 protocol number of ICMP. */
export const IP_PROTOCOL_ICMP = 1;
/** IPv4 protocol number of TCP. */
export const IP_PROTOCOL_TCP = 6;
/** IPv4 protocol number of UDP. */
export const IP_PROTOCOL_UDP = 17;

const FLAG_DONT_FRAGMENT = 0x4000;
const FLAG_MORE_FRAGMENTS = 0x2000;

/** A view over a received IPv4 datagram; the accessors read the header fields in place. */
export class Ipv4Packet extends PacketView {
  /** Validate lengths and version; `verify_checksum` is false when the NIC already did it. */
  check(verify_checksum: boolean): Drop {
    const b = this.buffer,
      o = this.offset;
    if (this.length < IPV4_HEADER_LEN) return Drop.Truncated;
    if (b[o] >>> 4 !== 4) return Drop.BadVersion;
    const header_len = (b[o] & 0x0f) * 4;
    if (header_len < IPV4_HEADER_LEN || header_len > this.length) return Drop.BadHeaderLength;
    const total_len = (b[o + 2] << 8) | b[o + 3];
    // Link layers may pad short frames, so the buffer may be longer than total_len, never shorter.
    if (total_len < header_len || total_len > this.length) return Drop.BadLength;
    if (verify_checksum && checksum_sum(b, o, header_len, 0) !== 0xffff) return Drop.BadChecksum;
    return Drop.None;
  }

  version(): number {
    return this.buffer[this.offset] >>> 4;
  }
  header_len(): number {
    return (this.buffer[this.offset] & 0x0f) * 4;
  }
  total_len(): number {
    const b = this.buffer,
      o = this.offset;
    return (b[o + 2] << 8) | b[o + 3];
  }
  ident(): number {
    const b = this.buffer,
      o = this.offset;
    return (b[o + 4] << 8) | b[o + 5];
  }
  more_fragments(): boolean {
    return (this.buffer[this.offset + 6] & (FLAG_MORE_FRAGMENTS >> 8)) !== 0;
  }
  /** Fragment offset in bytes. */
  frag_offset(): number {
    const b = this.buffer,
      o = this.offset;
    return (((b[o + 6] & 0x1f) << 8) | b[o + 7]) * 8;
  }
  /** More fragments follow, or this one is not the first: it needs reassembly. */
  is_fragment(): boolean {
    const b = this.buffer,
      o = this.offset;
    return ((b[o + 6] & 0x3f) | b[o + 7]) !== 0;
  }
  ttl(): number {
    return this.buffer[this.offset + 8];
  }
  protocol(): number {
    return this.buffer[this.offset + 9];
  }
  src_addr(): number {
    const b = this.buffer,
      o = this.offset;
    return ((b[o + 12] << 24) | (b[o + 13] << 16) | (b[o + 14] << 8) | b[o + 15]) >>> 0;
  }
  dst_addr(): number {
    const b = this.buffer,
      o = this.offset;
    return ((b[o + 16] << 24) | (b[o + 17] << 16) | (b[o + 18] << 8) | b[o + 19]) >>> 0;
  }
  payload_offset(): number {
    return this.offset + this.header_len();
  }
  payload_len(): number {
    return this.total_len() - this.header_len();
  }
}

/** What the interface needs to build an IPv4 header. */
export class Ipv4Repr {
  src_addr = 0;
  dst_addr = 0;
  protocol = 0;
  payload_len = 0;
  ttl = 64;
  ident = 0;

  buffer_len(): number {
    return IPV4_HEADER_LEN + this.payload_len;
  }

  /** Write a 20-byte header (DF set, no options) with its checksum. */
  emit(buffer: Uint8Array, offset: number, compute_checksum: boolean): void {
    const b = buffer,
      o = offset;
    const total = IPV4_HEADER_LEN + this.payload_len;
    const src = this.src_addr,
      dst = this.dst_addr;
    b[o] = 0x45;
    b[o + 1] = 0;
    b[o + 2] = total >>> 8;
    b[o + 3] = total;
    b[o + 4] = this.ident >>> 8;
    b[o + 5] = this.ident;
    b[o + 6] = FLAG_DONT_FRAGMENT >>> 8;
    b[o + 7] = 0;
    b[o + 8] = this.ttl;
    b[o + 9] = this.protocol;
    b[o + 10] = 0;
    b[o + 11] = 0;
    b[o + 12] = src >>> 24;
    b[o + 13] = src >>> 16;
    b[o + 14] = src >>> 8;
    b[o + 15] = src;
    b[o + 16] = dst >>> 24;
    b[o + 17] = dst >>> 16;
    b[o + 18] = dst >>> 8;
    b[o + 19] = dst;
    if (compute_checksum) {
      const sum = checksum_finish(checksum_sum(b, o, IPV4_HEADER_LEN, 0));
      b[o + 10] = sum >>> 8;
      b[o + 11] = sum;
    }
  }
}
