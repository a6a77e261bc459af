// TCP sequence numbers are 32-bit and wrap; compare them by signed distance.
// They are kept as int32 (`| 0`), not uint32: V8 stores int32 unboxed, while
// a uint32 above 2^31 becomes a heap number whenever it crosses a call.
// Every sequence number in the stack must go through these helpers or `| 0`.

/** seq + n modulo 2^32, as int32. */
export function seq_add(seq: number, n: number): number {
  return (seq + n) | 0;
}

/** b - a as a signed 32-bit distance. */
export function seq_diff(b: number, a: number): number {
  return (b - a) | 0;
}

/** Sequence-number comparison modulo 2^32 (RFC 9293 §3.4): a < b. */
export function seq_lt(a: number, b: number): boolean {
  return ((a - b) | 0) < 0;
}

/** Sequence-number comparison modulo 2^32 (RFC 9293 §3.4): a <= b. */
export function seq_le(a: number, b: number): boolean {
  return ((a - b) | 0) <= 0;
}

/** Sequence-number comparison modulo 2^32 (RFC 9293 §3.4): a > b. */
export function seq_gt(a: number, b: number): boolean {
  return ((a - b) | 0) > 0;
}

/** Sequence-number comparison modulo 2^32 (RFC 9293 §3.4): a >= b. */
export function seq_ge(a: number, b: number): boolean {
  return ((a - b) | 0) >= 0;
}
