// TCP segment (RFC 9293) with the MSS, window-scale and SACK-permitted options.
import { checksum_finish, checksum_sum, checksum_valid, copy_checksum, pseudo_header_sum } from "./checksum";
import { copy_bytes, NO_BYTES, read_u16, write_u16 } from "./bytes";
import { Drop } from "./error";
import { IP_PROTOCOL_TCP } from "./ipv4";
import { PacketView } from "./packet_view";

/** Bytes in a TCP header without options (data offset 5). */
export const TCP_HEADER_LEN = 20;

/** The FIN flag: the sender has no more data (closes its direction). */
export const TCP_FIN = 0x01;
/** The SYN flag: synchronize sequence numbers (opens a connection). */
export const TCP_SYN = 0x02;
/** The RST flag: reset (abort) the connection. */
export const TCP_RST = 0x04;
/** The PSH flag: push buffered data to the receiving application now. */
export const TCP_PSH = 0x08;
/** The ACK flag: the acknowledgment number field is valid. */
export const TCP_ACK = 0x10;

const OPTION_END = 0;
const OPTION_NOP = 1;
const OPTION_MSS = 2;
const OPTION_WINDOW_SCALE = 3;
const OPTION_SACK_PERMITTED = 4;

/** A view over a received TCP segment; check() verifies the lengths and the pseudo-header checksum. */
export class TcpPacket extends PacketView {
  check(src_addr: number, dst_addr: number, verify_checksum: boolean): Drop {
    if (this.length < TCP_HEADER_LEN) return Drop.Truncated;
    const header_len = this.header_len();
    if (header_len < TCP_HEADER_LEN || header_len > this.length) return Drop.BadHeaderLength;
    if (
      verify_checksum &&
      !checksum_valid(this.buffer, this.offset, this.length, pseudo_header_sum(src_addr, dst_addr, IP_PROTOCOL_TCP, this.length))
    ) {
      return Drop.BadChecksum;
    }
    return Drop.None;
  }

  src_port(): number {
    const b = this.buffer,
      o = this.offset;
    return (b[o] << 8) | b[o + 1];
  }
  dst_port(): number {
    const b = this.buffer,
      o = this.offset;
    return (b[o + 2] << 8) | b[o + 3];
  }
  /** As int32, like every sequence number in the stack (see socket/tcp_seq.ts). */
  seq_number(): number {
    const b = this.buffer,
      o = this.offset;
    return (b[o + 4] << 24) | (b[o + 5] << 16) | (b[o + 6] << 8) | b[o + 7];
  }
  ack_number(): number {
    const b = this.buffer,
      o = this.offset;
    return (b[o + 8] << 24) | (b[o + 9] << 16) | (b[o + 10] << 8) | b[o + 11];
  }
  header_len(): number {
    return (this.buffer[this.offset + 12] >>> 4) * 4;
  }
  flags(): number {
    return this.buffer[this.offset + 13] & 0x3f;
  }
  window_len(): number {
    const b = this.buffer,
      o = this.offset;
    return (b[o + 14] << 8) | b[o + 15];
  }
  payload_offset(): number {
    return this.offset + this.header_len();
  }
  payload_len(): number {
    return this.length - this.header_len();
  }
}

/** A checked TCP segment. One instance is refilled per packet. */
export class TcpRepr {
  src_port = 0;
  dst_port = 0;
  seq_number = 0;
  ack_number = 0;
  /** TCP_* bits; ACK is meaningful only when set. */
  flags = 0;
  window_len = 0;
  /** 0 when absent. */
  max_seg_size = 0;
  /** -1 when absent. */
  window_scale = -1;
  sack_permitted = false;
  payload: Uint8Array = NO_BYTES;
  payload_offset = 0;
  payload_len = 0;

  /** Fill from a packet that passed check(); returns Drop.BadOption on malformed options. */
  parse(packet: TcpPacket): Drop {
    const b = packet.buffer,
      o = packet.offset;
    const header_len = (b[o + 12] >>> 4) * 4;
    this.src_port = (b[o] << 8) | b[o + 1];
    this.dst_port = (b[o + 2] << 8) | b[o + 3];
    this.seq_number = (b[o + 4] << 24) | (b[o + 5] << 16) | (b[o + 6] << 8) | b[o + 7];
    this.ack_number = (b[o + 8] << 24) | (b[o + 9] << 16) | (b[o + 10] << 8) | b[o + 11];
    this.flags = b[o + 13] & 0x3f;
    this.window_len = (b[o + 14] << 8) | b[o + 15];
    this.max_seg_size = 0;
    this.window_scale = -1;
    this.sack_permitted = false;
    this.payload = b;
    this.payload_offset = o + header_len;
    this.payload_len = packet.length - header_len;
    if (header_len === TCP_HEADER_LEN) return Drop.None; // no options: most segments
    let i = o + TCP_HEADER_LEN;
    const end = o + header_len;
    while (i < end) {
      const kind = b[i];
      if (kind === OPTION_END) break;
      if (kind === OPTION_NOP) {
        i++;
        continue;
      }
      if (i + 1 >= end) return Drop.BadOption;
      const len = b[i + 1];
      if (len < 2 || i + len > end) return Drop.BadOption;
      if (kind === OPTION_MSS) {
        if (len !== 4) return Drop.BadOption;
        this.max_seg_size = read_u16(b, i + 2);
      } else if (kind === OPTION_WINDOW_SCALE) {
        if (len !== 3) return Drop.BadOption;
        this.window_scale = Math.min(b[i + 2], 14); // RFC 7323: larger shifts are treated as 14
      } else if (kind === OPTION_SACK_PERMITTED) {
        if (len !== 2) return Drop.BadOption;
        this.sack_permitted = true;
      }
      i += len;
    }
    return Drop.None;
  }

  /** Sequence space the segment occupies: payload plus one for each of SYN and FIN. */
  segment_len(): number {
    return this.payload_len + (this.flags & TCP_SYN ? 1 : 0) + (this.flags & TCP_FIN ? 1 : 0);
  }

  options_len(): number {
    let len = 0;
    if (this.max_seg_size !== 0) len += 4;
    if (this.window_scale >= 0) len += 4; // NOP + 3-byte option keeps alignment
    if (this.sack_permitted) len += 4; // NOP NOP + 2-byte option
    return len;
  }

  header_len(): number {
    return TCP_HEADER_LEN + this.options_len();
  }
  buffer_len(): number {
    const options = this.max_seg_size !== 0 || this.window_scale >= 0 || this.sack_permitted;
    return (options ? this.header_len() : TCP_HEADER_LEN) + this.payload_len;
  }

  /** Reset to an empty segment between two ports (used by sockets before filling a reply). */
  clear(): this {
    this.flags = 0;
    this.max_seg_size = 0;
    this.window_scale = -1;
    this.sack_permitted = false;
    this.payload_len = 0;
    return this;
  }

  /** Write the segment at buffer[offset]: header, options, the payload copied in, and the checksum. */
  emit(buffer: Uint8Array, offset: number, src_addr: number, dst_addr: number, compute_checksum: boolean): void {
    const b = buffer,
      o = offset;
    const options = this.max_seg_size !== 0 || this.window_scale >= 0 || this.sack_permitted;
    const header_len = options ? this.header_len() : TCP_HEADER_LEN;
    const seq = this.seq_number,
      ack = this.flags & TCP_ACK ? this.ack_number : 0;
    b[o] = this.src_port >>> 8;
    b[o + 1] = this.src_port;
    b[o + 2] = this.dst_port >>> 8;
    b[o + 3] = this.dst_port;
    b[o + 4] = seq >>> 24;
    b[o + 5] = seq >>> 16;
    b[o + 6] = seq >>> 8;
    b[o + 7] = seq;
    b[o + 8] = ack >>> 24;
    b[o + 9] = ack >>> 16;
    b[o + 10] = ack >>> 8;
    b[o + 11] = ack;
    b[o + 12] = (header_len / 4) << 4;
    b[o + 13] = this.flags;
    b[o + 14] = this.window_len >>> 8;
    b[o + 15] = this.window_len;
    b[o + 16] = 0;
    b[o + 17] = 0;
    b[o + 18] = 0;
    b[o + 19] = 0;
    if (options) this.emit_options(b, o + TCP_HEADER_LEN);
    const payload_len = this.payload_len;
    if (compute_checksum) {
      // The payload is summed as it is copied; the header (options and all) after.
      let sum = pseudo_header_sum(src_addr, dst_addr, IP_PROTOCOL_TCP, header_len + payload_len);
      if (payload_len > 0) sum = copy_checksum(b, o + header_len, this.payload, this.payload_offset, payload_len, sum);
      sum = checksum_finish(checksum_sum(b, o, header_len, sum));
      b[o + 16] = sum >>> 8;
      b[o + 17] = sum;
    } else if (payload_len > 0) {
      copy_bytes(b, o + header_len, this.payload, this.payload_offset, payload_len);
    }
  }

  /** The options of a SYN or SYN-ACK, at buffer[i]: only handshakes carry them. */
  private emit_options(buffer: Uint8Array, i: number): void {
    if (this.max_seg_size !== 0) {
      buffer[i] = OPTION_MSS;
      buffer[i + 1] = 4;
      write_u16(buffer, i + 2, this.max_seg_size);
      i += 4;
    }
    if (this.window_scale >= 0) {
      buffer[i] = OPTION_NOP;
      buffer[i + 1] = OPTION_WINDOW_SCALE;
      buffer[i + 2] = 3;
      buffer[i + 3] = this.window_scale;
      i += 4;
    }
    if (this.sack_permitted) {
      buffer[i] = OPTION_NOP;
      buffer[i + 1] = OPTION_NOP;
      buffer[i + 2] = OPTION_SACK_PERMITTED;
      buffer[i + 3] = 2;
    }
  }
}
