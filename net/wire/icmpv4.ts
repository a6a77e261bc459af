// ICMPv4 (RFC 792): echo request/reply and destination-unreachable.
import { checksum_sum, copy_checksum } from "./checksum";
import { copy_bytes, NO_BYTES } from "./bytes";
import { Drop } from "./error";
import { PacketView } from "./packet_view";

/** Bytes in an ICMP header: type, code, checksum and the 4-byte rest of header. */
export const ICMP_HEADER_LEN = 8;
/** ICMP type 0: echo reply (the answer to a ping). */
export const ICMP_ECHO_REPLY = 0;
/** ICMP type 3: destination unreachable; the code says why. */
export const ICMP_DEST_UNREACHABLE = 3;
/** ICMP type 8: echo request (a ping). */
export const ICMP_ECHO_REQUEST = 8;
/** Destination-unreachable code 3: no socket listens on that UDP port. */
export const ICMP_CODE_PORT_UNREACHABLE = 3;

/** A view over a received ICMP message; check() verifies the length and the checksum, which covers the whole message. */
export class Icmpv4Packet extends PacketView {
  check(verify_checksum: boolean): Drop {
    if (this.length < ICMP_HEADER_LEN) return Drop.Truncated;
    if (verify_checksum && checksum_sum(this.buffer, this.offset, this.length, 0) !== 0xffff) return Drop.BadChecksum;
    return Drop.None;
  }

  msg_type(): number {
    return this.buffer[this.offset];
  }
  code(): number {
    return this.buffer[this.offset + 1];
  }
  echo_ident(): number {
    const b = this.buffer,
      o = this.offset;
    return (b[o + 4] << 8) | b[o + 5];
  }
  echo_seq_no(): number {
    const b = this.buffer,
      o = this.offset;
    return (b[o + 6] << 8) | b[o + 7];
  }
  payload_offset(): number {
    return this.offset + ICMP_HEADER_LEN;
  }
  payload_len(): number {
    return this.length - ICMP_HEADER_LEN;
  }
}

/**
 * An ICMP message to send. The payload is a range of someone else's buffer
 * (echo data, or the offending datagram for an error) copied at emit time.
 */
export class Icmpv4Repr {
  msg_type = 0;
  code = 0;
  /** Bytes 4..7: ident/seq for echo, unused (zero) for errors. */
  rest_of_header = 0;
  payload: Uint8Array = NO_BYTES;
  payload_offset = 0;
  payload_len = 0;
  /** Set by echo_reply_of(): the header's bytes 4..7 and the payload are a request's, right before the payload. */
  reply_to_request = false;

  buffer_len(): number {
    return ICMP_HEADER_LEN + this.payload_len;
  }

  echo(msg_type: number, ident: number, seq_no: number, payload: Uint8Array, offset: number, length: number): this {
    this.reply_to_request = false;
    this.msg_type = msg_type;
    this.code = 0;
    this.rest_of_header = (ident & 0xffff) * 0x10000 + (seq_no & 0xffff);
    this.payload = payload;
    this.payload_offset = offset;
    this.payload_len = length;
    return this;
  }

  /**
   * The reply to the echo request at request[offset, offset + length): the
   * request itself with its type changed, as RFC 792 forms it (identifier,
   * sequence number and data come back as they went). emit() copies it whole
   * and corrects its checksum for the new type word (RFC 1624) instead of
   * summing the message again.
   */
  echo_reply_of(request: Uint8Array, offset: number, length: number): this {
    this.reply_to_request = true;
    this.msg_type = ICMP_ECHO_REPLY;
    this.code = 0;
    this.payload = request;
    this.payload_offset = offset + ICMP_HEADER_LEN;
    this.payload_len = length - ICMP_HEADER_LEN;
    return this;
  }

  emit(buffer: Uint8Array, offset: number, compute_checksum: boolean): void {
    const b = buffer,
      o = offset;
    if (this.reply_to_request) {
      const request = this.payload,
        at = this.payload_offset - ICMP_HEADER_LEN;
      // (Read before the copy: the reply may be written over the request.)
      const request_word = (request[at] << 8) | request[at + 1],
        request_sum = (request[at + 2] << 8) | request[at + 3];
      copy_bytes(b, o, request, at, ICMP_HEADER_LEN + this.payload_len);
      b[o] = this.msg_type;
      b[o + 1] = this.code;
      if (compute_checksum) {
        // RFC 1624: HC' = ~(~HC + ~m + m'), m the request's type word, m' the reply's.
        let sum = (~request_sum & 0xffff) + (~request_word & 0xffff) + ((this.msg_type << 8) | this.code);
        sum = (sum & 0xffff) + (sum >>> 16);
        sum = ~((sum & 0xffff) + (sum >>> 16)) & 0xffff;
        b[o + 2] = sum >>> 8;
        b[o + 3] = sum;
      } else {
        b[o + 2] = 0;
        b[o + 3] = 0;
      }
      return;
    }
    const high = (this.rest_of_header / 0x10000) >>> 0, // (no Math.floor: a native call in QuickJS)
      low = this.rest_of_header & 0xffff;
    b[o] = this.msg_type;
    b[o + 1] = this.code;
    b[o + 2] = 0;
    b[o + 3] = 0;
    b[o + 4] = high >>> 8;
    b[o + 5] = high;
    b[o + 6] = low >>> 8;
    b[o + 7] = low;
    if (compute_checksum) {
      // The header's words are at hand: only the payload needs a pass, the one that copies it.
      const header_sum = ((this.msg_type << 8) | this.code) + high + low;
      // The sum comes back folded (the helpers' contract): it only needs inverting.
      const sum = ~copy_checksum(b, o + ICMP_HEADER_LEN, this.payload, this.payload_offset, this.payload_len, header_sum) & 0xffff;
      b[o + 2] = sum >>> 8;
      b[o + 3] = sum;
    } else {
      copy_bytes(b, o + ICMP_HEADER_LEN, this.payload, this.payload_offset, this.payload_len);
    }
  }
}
