// ARP for Ethernet + IPv4 (RFC 826). Other hardware/protocol pairs are rejected.
import { read_mac, read_u16, read_u32, write_mac, write_u16, write_u32 } from "./bytes";
import { Drop } from "./error";
import { PacketView } from "./packet_view";

/** Bytes in an Ethernet/IPv4 ARP packet: 8-byte header, two MACs and two IPv4 addresses. */
export const ARP_PACKET_LEN = 28;
/** ARP operation 1: who has this IPv4 address? (sent to the broadcast MAC). */
export const ARP_REQUEST = 1;
/** ARP operation 2: the answer, sent unicast to the asker. */
export const ARP_REPLY = 2;

/** A view over a received ARP packet; check() rejects anything but Ethernet/IPv4 ARP. */
export class ArpPacket extends PacketView {
  check(): Drop {
    if (this.length < ARP_PACKET_LEN) return Drop.Truncated;
    const b = this.buffer,
      o = this.offset;
    if (read_u16(b, o) !== 1 || read_u16(b, o + 2) !== 0x0800 || b[o + 4] !== 6 || b[o + 5] !== 4) return Drop.UnsupportedArp;
    return Drop.None;
  }

  operation(): number {
    return read_u16(this.buffer, this.offset + 6);
  }
  source_hardware_addr(): number {
    return read_mac(this.buffer, this.offset + 8);
  }
  source_protocol_addr(): number {
    return read_u32(this.buffer, this.offset + 14);
  }
  target_hardware_addr(): number {
    return read_mac(this.buffer, this.offset + 18);
  }
  target_protocol_addr(): number {
    return read_u32(this.buffer, this.offset + 24);
  }
}

/** The checked meaning of an ARP packet; reused, filled in place. */
export class ArpRepr {
  operation = 0;
  source_hardware_addr = 0;
  source_protocol_addr = 0;
  target_hardware_addr = 0;
  target_protocol_addr = 0;

  /** Fill from a packet that passed check(). */
  parse(packet: ArpPacket): this {
    this.operation = packet.operation();
    this.source_hardware_addr = packet.source_hardware_addr();
    this.source_protocol_addr = packet.source_protocol_addr();
    this.target_hardware_addr = packet.target_hardware_addr();
    this.target_protocol_addr = packet.target_protocol_addr();
    return this;
  }

  emit(buffer: Uint8Array, offset: number): void {
    write_u16(buffer, offset, 1);
    write_u16(buffer, offset + 2, 0x0800);
    buffer[offset + 4] = 6;
    buffer[offset + 5] = 4;
    write_u16(buffer, offset + 6, this.operation);
    write_mac(buffer, offset + 8, this.source_hardware_addr);
    write_u32(buffer, offset + 14, this.source_protocol_addr);
    write_mac(buffer, offset + 18, this.target_hardware_addr);
    write_u32(buffer, offset + 24, this.target_protocol_addr);
  }
}
