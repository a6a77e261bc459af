// Tracks which byte ranges of a stream (or IPv4 datagram) have arrived, relative
// to the first byte not yet consumed. Bounded: at most `max_ranges` disjoint
// ranges; a piece that would need more is refused and must be sent again.

/** Which byte ranges past the read point have arrived; used for out-of-order TCP data and IPv4 reassembly. */
export class Assembler {
  private readonly starts: Int32Array;
  private readonly ends: Int32Array;
  private count = 0;

  constructor(readonly max_ranges = 8) {
    this.starts = new Int32Array(max_ranges);
    this.ends = new Int32Array(max_ranges);
  }

  clear(): void {
    this.count = 0;
  }
  is_empty(): boolean {
    return this.count === 0;
  }
  range_count(): number {
    return this.count;
  }

  /** Length of the contiguous data that starts at offset 0 (0 when there is a hole first). */
  front_len(): number {
    return this.count > 0 && this.starts[0] === 0 ? this.ends[0] : 0;
  }

  /** Whether any byte of [offset, offset + size) is already present. */
  overlaps(offset: number, size: number): boolean {
    const end = offset + size;
    for (let i = 0; i < this.count; i++) if (this.starts[i] < end && this.ends[i] > offset) return true;
    return false;
  }

  /** Mark [offset, offset + size) as present. False when that would exceed max_ranges. */
  add(offset: number, size: number): boolean {
    if (size <= 0) return true;
    const { starts, ends } = this;
    let start = offset,
      end = offset + size;
    let first = 0;
    while (first < this.count && ends[first] < start) first++;
    let last = first; // one past the final range merged with the new one
    while (last < this.count && starts[last] <= end) {
      if (starts[last] < start) start = starts[last];
      if (ends[last] > end) end = ends[last];
      last++;
    }
    const merged = last - first;
    if (merged === 0) {
      if (this.count === this.max_ranges) return false;
      starts.copyWithin(first + 1, first, this.count);
      ends.copyWithin(first + 1, first, this.count);
      this.count++;
    } else if (merged > 1) {
      starts.copyWithin(first + 1, last, this.count);
      ends.copyWithin(first + 1, last, this.count);
      this.count -= merged - 1;
    }
    starts[first] = start;
    ends[first] = end;
    return true;
  }

  /** Consume the contiguous front and re-base the rest on the new front; returns the bytes consumed. */
  remove_front(): number {
    const len = this.front_len();
    if (len === 0) return 0;
    this.starts.copyWithin(0, 1, this.count);
    this.ends.copyWithin(0, 1, this.count);
    this.count--;
    for (let i = 0; i < this.count; i++) {
      this.starts[i] -= len;
      this.ends[i] -= len;
    }
    return len;
  }
}
