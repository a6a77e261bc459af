// Byte ring used for socket send and receive buffers. Its capacity is the
// most it may hold (what TCP's window is computed from), but its memory
// grows only as data arrives: a listening socket, or a connection that moves
// little, never holds a full buffer (a server with many idle connections
// would otherwise run out of memory long before it runs out of work).
// Lengths are clamped with comparisons, not Math.min or Math.max (native
// calls in the guest's interpreter, about eight times the cost).
import { copy_bytes, NO_BYTES } from "../wire/bytes";

/** The smallest memory a ring takes once it holds anything. */
const MIN_STORAGE = 2048;

/** A byte ring for socket buffers, growing on demand up to its capacity; it can also stage out-of-order data past the stored bytes. */
export class RingBuffer {
  /** The memory behind the ring; replaced (larger) when data needs more room. */
  storage: Uint8Array = NO_BYTES;
  /**
   * storage.length, kept beside it: in QuickJS a typed array's length is a
   * getter on its prototype (a generic lookup and a call), and every
   * segment in or out asks.
   */
  private size = 0;
  private read_at = 0;
  /** Bytes stored. (A field: a reader's readiness checks read it; only the ring's methods change it.) */
  length = 0;

  /** The most it may hold; only raise_capacity changes it. (A field, not a getter: the packet path reads it per segment.) */
  capacity: number;

  constructor(capacity: number) {
    this.capacity = capacity;
  }

  /** Let it hold up to `capacity` (never less than now): its memory still grows only as data arrives. */
  raise_capacity(capacity: number): void {
    if (capacity > this.capacity) this.capacity = capacity;
  }

  len(): number {
    return this.length;
  }
  window(): number {
    return this.capacity - this.length;
  }
  is_empty(): boolean {
    return this.length === 0;
  }
  is_full(): boolean {
    return this.length === this.capacity;
  }
  clear(): void {
    this.read_at = 0;
    this.length = 0;
  }
  /** Give the memory back while the ring is empty (a connection that will send nothing more); it grows again if needed. */
  release(): void {
    if (this.length > 0) return;
    this.storage = NO_BYTES;
    this.size = 0;
    this.read_at = 0;
  }

  /** Physical index in `storage` of the byte `offset` past the read position. */
  index_of(offset: number): number {
    const i = this.read_at + offset;
    const size = this.size;
    return i >= size ? i - size : i;
  }

  /** How many stored bytes from `offset` are contiguous in `storage` (at most `max`). */
  contiguous_allocated(offset: number, max: number): number {
    let available = this.length - offset;
    if (max < available) available = max;
    if (available <= 0) return 0;
    const to_end = this.size - this.index_of(offset);
    return available < to_end ? available : to_end;
  }

  /** Append up to `length` bytes; returns how many fit. */
  enqueue_slice(src: Uint8Array, offset: number, length: number): number {
    const written = this.write_unallocated(0, src, offset, length);
    this.length += written;
    return written;
  }

  /**
   * Remove up to `length` bytes into `dst`; returns how many were read.
   * (Every read of a socket comes here: the at most two pieces, up to the
   * memory's end and from its start, are copied with no call but the copy.)
   */
  dequeue_slice(dst: Uint8Array, offset: number, length: number): number {
    const total = length < this.length ? length : this.length;
    if (total <= 0) return 0;
    const size = this.size;
    let at = this.read_at;
    let done = 0;
    while (done < total) {
      let n = total - done;
      if (size - at < n) n = size - at;
      copy_bytes(dst, offset + done, this.storage, at, n);
      done += n;
      at += n;
      if (at >= size) at -= size;
    }
    this.read_at = at;
    this.length -= total;
    return total;
  }

  /** Drop `count` stored bytes from the front. */
  dequeue_allocated(count: number): void {
    this.read_at = this.index_of(count);
    this.length -= count;
  }

  /**
   * Write into free space `at` bytes past the end of the stored data, without
   * making it readable (out-of-order TCP data). Returns how many bytes fit.
   */
  write_unallocated(at: number, src: Uint8Array, offset: number, length: number): number {
    let total = this.capacity - this.length - at;
    if (length < total) total = length;
    if (total < 0) total = 0;
    if (this.length + at + total > this.size) this.grow(this.length + at + total);
    const size = this.size;
    let done = 0;
    while (done < total) {
      let index = this.read_at + this.length + at + done; // index_of(), written out: every segment received comes here
      if (index >= size) index -= size;
      let n = total - done;
      if (size - index < n) n = size - index;
      copy_bytes(this.storage, index, src, offset + done, n);
      done += n;
    }
    return total;
  }

  /** Make `count` bytes previously written with write_unallocated readable. */
  enqueue_unallocated(count: number): void {
    this.length += count;
  }

  /**
   * Room for `needed` bytes past the read position: at least double, at most
   * the capacity. The contents (stored and staged) move to the front of the
   * new memory in order.
   */
  private grow(needed: number): void {
    const old = this.storage;
    let size = Math.max(MIN_STORAGE, old.length * 2);
    while (size < needed) size *= 2;
    const next = new Uint8Array(Math.min(size, this.capacity));
    const head = old.length - this.read_at;
    copy_bytes(next, 0, old, this.read_at, head);
    copy_bytes(next, head, old, 0, this.read_at);
    this.storage = next;
    this.size = next.length;
    this.read_at = 0;
  }
}
