// Ethernet II frame: dst MAC, src MAC, EtherType, payload.
import { read_mac, write_mac, write_u16 } from "./bytes";
import { Drop } from "./error";
import { PacketView } from "./packet_view";

/** Bytes in an Ethernet header: two MACs and the EtherType. */
export const ETHERNET_HEADER_LEN = 14;
/** EtherType of an IPv4 payload. */
export const ETHERTYPE_IPV4 = 0x0800;
/** EtherType of an ARP payload. */
export const ETHERTYPE_ARP = 0x0806;

/** A re-pointable view over a frame; one instance is reused for every packet. */
export class EthernetFrame extends PacketView {
  check(): Drop {
    return this.length < ETHERNET_HEADER_LEN ? Drop.Truncated : Drop.None;
  }

  dst_addr(): number {
    return read_mac(this.buffer, this.offset);
  }
  src_addr(): number {
    return read_mac(this.buffer, this.offset + 6);
  }
  ethertype(): number {
    const b = this.buffer,
      o = this.offset;
    return (b[o + 12] << 8) | b[o + 13];
  }
  /** Is the destination the 6 bytes at mac[offset]? (Byte compare: no 48-bit number is built.) */
  dst_is(mac: Uint8Array, offset: number): boolean {
    const b = this.buffer,
      o = this.offset;
    return (
      b[o] === mac[offset] &&
      b[o + 1] === mac[offset + 1] &&
      b[o + 2] === mac[offset + 2] &&
      b[o + 3] === mac[offset + 3] &&
      b[o + 4] === mac[offset + 4] &&
      b[o + 5] === mac[offset + 5]
    );
  }

  payload_offset(): number {
    return this.offset + ETHERNET_HEADER_LEN;
  }
  payload_len(): number {
    return this.length - ETHERNET_HEADER_LEN;
  }

  /** Write the whole header in one go (the repr of an Ethernet header is just these three fields). */
  emit(dst_addr: number, src_addr: number, ethertype: number): void {
    write_mac(this.buffer, this.offset, dst_addr);
    write_mac(this.buffer, this.offset + 6, src_addr);
    write_u16(this.buffer, this.offset + 12, ethertype);
  }

  /** The same, with both addresses given as 6 bytes each (stored one by one: a copy call costs more than six bytes). */
  emit_bytes(dst: Uint8Array, dst_offset: number, src: Uint8Array, src_offset: number, ethertype: number): void {
    const b = this.buffer,
      o = this.offset;
    b[o] = dst[dst_offset];
    b[o + 1] = dst[dst_offset + 1];
    b[o + 2] = dst[dst_offset + 2];
    b[o + 3] = dst[dst_offset + 3];
    b[o + 4] = dst[dst_offset + 4];
    b[o + 5] = dst[dst_offset + 5];
    b[o + 6] = src[src_offset];
    b[o + 7] = src[src_offset + 1];
    b[o + 8] = src[src_offset + 2];
    b[o + 9] = src[src_offset + 3];
    b[o + 10] = src[src_offset + 4];
    b[o + 11] = src[src_offset + 5];
    b[o + 12] = ethertype >>> 8;
    b[o + 13] = ethertype;
  }
}

/** ff:ff:ff:ff:ff:ff as bytes, for dst_is() and emit_bytes() (no 48-bit number on the packet path). */
export const BROADCAST_MAC_BYTES = new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);
