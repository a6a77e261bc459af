import { NO_BYTES } from "./bytes";
/**
 * The shape every wire view shares: a window [offset, offset + length) of a
 * buffer, re-pointed at each packet instead of allocated per packet.
 */
export class PacketView {
  buffer: Uint8Array = NO_BYTES;
  offset = 0;
  length = 0;

  point(buffer: Uint8Array, offset: number, length: number): this {
    this.buffer = buffer;
    this.offset = offset;
    this.length = length;
    return this;
  }
}
