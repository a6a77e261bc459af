// IPv4 header (RFC 791). Options are accepted and skipped; the interface never emits them.
import { checksum_finish, checksum_sum, checksum_valid } from './checksum';
import { read_u16, read_u32, write_u16, write_u32 } from './bytes';
import { Drop } from './error';
import { PacketView } from './packet_view';

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
    if (this.length < IPV4_HEADER_LEN) return Drop.Truncated;
    if (this.version() !== 4) return Drop.BadVersion;
    const header_len = this.header_len();
    if (header_len < IPV4_HEADER_LEN || header_len > this.length) return Drop.BadHeaderLength;
    const total_len = this.total_len();
    // Link layers may pad short frames, so the buffer may be longer than total_len, never shorter.
    if (total_len < header_len || total_len > this.length) return Drop.BadLength;
    if (verify_checksum && !checksum_valid(this.buffer, this.offset, header_len, 0)) return Drop.BadChecksum;
    return Drop.None;
  }

  version(): number { return this.buffer[this.offset] >>> 4; }
  header_len(): number { return (this.buffer[this.offset] & 0x0f) * 4; }
  total_len(): number { return read_u16(this.buffer, this.offset + 2); }
  ident(): number { return read_u16(this.buffer, this.offset + 4); }
  more_fragments(): boolean { return (read_u16(this.buffer, this.offset + 6) & FLAG_MORE_FRAGMENTS) !== 0; }
  /** Fragment offset in bytes. */
  frag_offset(): number { return (read_u16(this.buffer, this.offset + 6) & 0x1fff) * 8; }
  ttl(): number { return this.buffer[this.offset + 8]; }
  protocol(): number { return this.buffer[this.offset + 9]; }
  src_addr(): number { return read_u32(this.buffer, this.offset + 12); }
  dst_addr(): number { return read_u32(this.buffer, this.offset + 16); }
  payload_offset(): number { return this.offset + this.header_len(); }
  payload_len(): number { return this.total_len() - this.header_len(); }
}

/** What the interface needs to build an IPv4 header. */
export class Ipv4Repr {
  src_addr = 0;
  dst_addr = 0;
  protocol = 0;
  payload_len = 0;
  ttl = 64;
  ident = 0;

  buffer_len(): number { return IPV4_HEADER_LEN + this.payload_len; }

  /** Write a 20-byte header (DF set, no options) with its checksum. */
  emit(buffer: Uint8Array, offset: number, compute_checksum: boolean): void {
    buffer[offset] = 0x45;
    buffer[offset + 1] = 0;
    write_u16(buffer, offset + 2, IPV4_HEADER_LEN + this.payload_len);
    write_u16(buffer, offset + 4, this.ident);
    write_u16(buffer, offset + 6, FLAG_DONT_FRAGMENT);
    buffer[offset + 8] = this.ttl;
    buffer[offset + 9] = this.protocol;
    write_u16(buffer, offset + 10, 0);
    write_u32(buffer, offset + 12, this.src_addr);
    write_u32(buffer, offset + 16, this.dst_addr);
    if (compute_checksum) write_u16(buffer, offset + 10, checksum_finish(checksum_sum(buffer, offset, IPV4_HEADER_LEN, 0)));
  }
}
