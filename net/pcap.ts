// A pcap (libpcap classic format, LINKTYPE_ETHERNET) writer producing a
// Uint8Array, so captures work in the guest and under Node alike.
import { Device, DeviceCapabilities, Frame } from "./iface/device";

const PCAP_MAGIC = 0xa1b2c3d4;
const LINKTYPE_ETHERNET = 1;

/** Collects frames into an in-memory pcap file (microsecond timestamps, frames cut to `snaplen` bytes). */
export class PcapWriter {
  private readonly records: Uint8Array[] = [];
  private size = 24;

  constructor(readonly snaplen = 65535) {}

  /** Record one frame seen at `now_us`. */
  add(now_us: number, buffer: Uint8Array, offset: number, length: number): void {
    const captured = Math.min(length, this.snaplen);
    const record = new Uint8Array(16 + captured);
    const seconds = Math.floor(now_us / 1_000_000);
    write_le32(record, 0, seconds);
    write_le32(record, 4, Math.floor(now_us - seconds * 1_000_000));
    write_le32(record, 8, captured);
    write_le32(record, 12, length);
    record.set(buffer.subarray(offset, offset + captured), 16);
    this.records.push(record);
    this.size += record.length;
  }

  frame_count(): number {
    return this.records.length;
  }

  /** The whole capture file. */
  bytes(): Uint8Array {
    const out = new Uint8Array(this.size);
    write_le32(out, 0, PCAP_MAGIC);
    out[4] = 2; // version 2.4
    out[6] = 4;
    write_le32(out, 16, this.snaplen);
    write_le32(out, 20, LINKTYPE_ETHERNET);
    let at = 24;
    for (const record of this.records) {
      out.set(record, at);
      at += record.length;
    }
    return out;
  }
}

function write_le32(buffer: Uint8Array, offset: number, value: number): void {
  buffer[offset] = value;
  buffer[offset + 1] = value >>> 8;
  buffer[offset + 2] = value >>> 16;
  buffer[offset + 3] = value >>> 24;
}

/** Wraps any Device and records every frame it receives or transmits. */
export class PcapDevice implements Device {
  private pending: Frame | null = null;

  /**
   * `record_rx` false records only what this end sends: with a fault injector
   * on the link, capturing every sender that way shows the traffic as sent,
   * before the injector corrupts it.
   */
  constructor(
    readonly inner: Device,
    readonly writer: PcapWriter,
    readonly record_rx = true,
  ) {}

  get capabilities(): DeviceCapabilities {
    return this.inner.capabilities;
  }

  receive(now_us: number): Frame | null {
    const frame = this.inner.receive(now_us);
    if (frame !== null && this.record_rx) this.writer.add(now_us, frame.buffer, frame.offset, frame.length);
    return frame;
  }

  transmit(now_us: number, length: number): Frame | null {
    this.pending = this.inner.transmit(now_us, length);
    return this.pending;
  }

  transmit_commit(now_us: number, more?: boolean): void {
    const frame = this.pending;
    if (frame !== null) this.writer.add(now_us, frame.buffer, frame.offset, frame.length);
    this.pending = null;
    this.inner.transmit_commit(now_us, more);
  }
}
