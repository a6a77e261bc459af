// UDP (RFC 768).
import { checksum_finish, checksum_valid, copy_checksum, pseudo_header_sum } from "./checksum";
import { copy_bytes, NO_BYTES } from "./bytes";
import { Drop } from "./error";
import { IP_PROTOCOL_UDP } from "./ipv4";
import { PacketView } from "./packet_view";

/** Bytes in a UDP header: two ports, length and checksum. */
export const UDP_HEADER_LEN = 8;

/** A view over a received UDP datagram; check() verifies the length field, and the checksum when the sender set one. */
export class UdpPacket extends PacketView {
  check(src_addr: number, dst_addr: number, verify_checksum: boolean): Drop {
    const b = this.buffer,
      o = this.offset;
    if (this.length < UDP_HEADER_LEN) return Drop.Truncated;
    const len = (b[o + 4] << 8) | b[o + 5];
    if (len < UDP_HEADER_LEN || len > this.length) return Drop.BadLength;
    // A zero checksum means the sender did not compute one.
    if (
      verify_checksum &&
      (b[o + 6] | b[o + 7]) !== 0 &&
      !checksum_valid(b, o, len, pseudo_header_sum(src_addr, dst_addr, IP_PROTOCOL_UDP, len))
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
  len_field(): number {
    const b = this.buffer,
      o = this.offset;
    return (b[o + 4] << 8) | b[o + 5];
  }
  payload_offset(): number {
    return this.offset + UDP_HEADER_LEN;
  }
  payload_len(): number {
    return this.len_field() - UDP_HEADER_LEN;
  }
}

/** A UDP datagram to send; the payload is a range of someone else's buffer, copied at emit time. */
export class UdpRepr {
  src_port = 0;
  dst_port = 0;
  payload: Uint8Array = NO_BYTES;
  payload_offset = 0;
  payload_len = 0;

  buffer_len(): number {
    return UDP_HEADER_LEN + this.payload_len;
  }

  /** Write the datagram at buffer[offset]: header, the payload copied in, and the checksum. */
  emit(buffer: Uint8Array, offset: number, src_addr: number, dst_addr: number, compute_checksum: boolean): void {
    const b = buffer,
      o = offset;
    const len = UDP_HEADER_LEN + this.payload_len;
    b[o] = this.src_port >>> 8;
    b[o + 1] = this.src_port;
    b[o + 2] = this.dst_port >>> 8;
    b[o + 3] = this.dst_port;
    b[o + 4] = len >>> 8;
    b[o + 5] = len;
    b[o + 6] = 0;
    b[o + 7] = 0;
    const payload_at = o + UDP_HEADER_LEN;
    if (compute_checksum) {
      // The header's words are at hand: only the payload needs a pass, the one that copies it.
      const header_sum = pseudo_header_sum(src_addr, dst_addr, IP_PROTOCOL_UDP, len) + this.src_port + this.dst_port + len;
      // 0 on the wire means "no checksum", so a computed 0 is sent as 0xffff.
      let sum = checksum_finish(copy_checksum(b, payload_at, this.payload, this.payload_offset, this.payload_len, header_sum));
      if (sum === 0) sum = 0xffff;
      b[o + 6] = sum >>> 8;
      b[o + 7] = sum;
    } else {
      copy_bytes(b, payload_at, this.payload, this.payload_offset, this.payload_len);
    }
  }
}
