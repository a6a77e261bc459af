// A bounded FIFO of datagrams, each stored contiguously so it can be handed to
// the interface as one (buffer, offset, length) range. Metadata per datagram is
// an address and a number (a port, or an ICMP sequence number) in typed arrays.
// The payload memory is taken when the first datagram comes, not before: a
// queue that is never used (a discard service's send queue) costs nothing.
import { copy_bytes, NO_BYTES } from "../wire/bytes";

/** A bounded FIFO of datagrams, each stored contiguously with an address and a port or sequence number. */
export class PacketQueue {
  /** Where the datagrams are; empty until the first one is queued. */
  payload: Uint8Array = NO_BYTES;
  private readonly addr: Float64Array;
  private readonly aux: Float64Array;
  private readonly start: Int32Array;
  private readonly size: Int32Array;
  private head = 0; // oldest datagram slot
  /** Datagrams queued. (A field: the interface's polls look at every socket's; only the queue's methods change it.) */
  count = 0;
  /** The address and number of the datagram take() copied out last. */
  taken_addr = 0;
  taken_aux = 0;
  private payload_read = 0; // first byte in use
  private payload_used = 0; // bytes in use, including padding skipped at the end

  constructor(
    readonly max_packets: number,
    private readonly payload_capacity: number,
  ) {
    this.addr = new Float64Array(max_packets);
    this.aux = new Float64Array(max_packets);
    this.start = new Int32Array(max_packets);
    this.size = new Int32Array(max_packets);
  }

  is_empty(): boolean {
    return this.count === 0;
  }
  is_full(): boolean {
    return this.count === this.max_packets;
  }
  len(): number {
    return this.count;
  }

  /**
   * Reserve room for a datagram and record its metadata; returns the offset in
   * `payload` to write it at, or -1 when it does not fit.
   */
  enqueue(length: number, addr: number, aux: number): number {
    const capacity = this.payload_capacity;
    if (this.count === this.max_packets || length > capacity) return -1;
    if (this.payload === NO_BYTES) this.payload = new Uint8Array(capacity); // (a typed array's length is a getter call)
    let write_at = (this.payload_read + this.payload_used) % capacity;
    let padding = 0;
    if (this.payload_used === 0) {
      this.payload_read = 0;
      write_at = 0;
    } else if (write_at >= this.payload_read && write_at + length > capacity) {
      padding = capacity - write_at; // skip the tail so the datagram stays contiguous
      write_at = 0;
    }
    if (this.payload_used + padding + length > capacity) return -1;
    if (write_at < this.payload_read && write_at + length > this.payload_read) return -1;
    const slot = (this.head + this.count) % this.max_packets;
    this.addr[slot] = addr;
    this.aux[slot] = aux;
    this.start[slot] = write_at;
    this.size[slot] = length;
    this.count++;
    this.payload_used += padding + length;
    return write_at;
  }

  /** Queue a copy of data[offset, offset + length) with its metadata; false when it does not fit. */
  put(data: Uint8Array, offset: number, length: number, addr: number, aux: number): boolean {
    const at = this.enqueue(length, addr, aux);
    if (at < 0) return false;
    copy_bytes(this.payload, at, data, offset, length);
    return true;
  }

  /**
   * Copy the oldest datagram into dst at `offset` (cut to what fits), note
   * its address and number in taken_addr and taken_aux, and drop it from
   * the queue. Returns the bytes copied, or -1 when the queue is empty.
   */
  take(dst: Uint8Array, offset: number): number {
    if (this.count === 0) return -1;
    const head = this.head;
    const room = dst.length - offset;
    const len = this.size[head] < room ? this.size[head] : room;
    copy_bytes(dst, offset, this.payload, this.start[head], len);
    this.taken_addr = this.addr[head];
    this.taken_aux = this.aux[head];
    this.dequeue();
    return len;
  }

  peek_offset(): number {
    return this.start[this.head];
  }
  peek_len(): number {
    return this.size[this.head];
  }
  peek_addr(): number {
    return this.addr[this.head];
  }
  peek_aux(): number {
    return this.aux[this.head];
  }

  dequeue(): void {
    if (this.count === 0) return;
    this.head = (this.head + 1) % this.max_packets;
    this.count--;
    if (this.count === 0) {
      this.payload_used = 0;
      this.payload_read = 0;
    } else {
      const next = this.start[this.head];
      // Release everything up to the next datagram (including wrap padding).
      const released = next >= this.payload_read ? next - this.payload_read : this.payload_capacity - this.payload_read + next;
      this.payload_used -= released;
      this.payload_read = next;
    }
  }
}
