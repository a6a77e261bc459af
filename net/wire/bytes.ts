// Big-endian field access and byte copies on plain Uint8Arrays (no DataView:
// it would have to be allocated per buffer).

/**
 * The zero-length buffer that a view, a payload or a slot holds before it
 * is given a real one. One array shared by all: nothing can be written into
 * it, and each `new Uint8Array(0)` costs the guest thousands of instructions
 * (objects made at boot have dozens of such fields).
 */
export const NO_BYTES = new Uint8Array(0);

/** The 6 bytes at buffer[offset] as a 48-bit MAC number. */
export function read_mac(buffer: Uint8Array, offset: number): number {
  const hi = (buffer[offset] << 8) | buffer[offset + 1];
  const lo = ((buffer[offset + 2] << 24) | (buffer[offset + 3] << 16) | (buffer[offset + 4] << 8) | buffer[offset + 5]) >>> 0;
  return hi * 0x100000000 + lo;
}

/** Store a 48-bit MAC number as 6 big-endian bytes at buffer[offset]. */
export function write_mac(buffer: Uint8Array, offset: number, address: number): void {
  const hi = (address / 0x100000000) >>> 0; // the top 16 bits; no Math.floor, a native call in QuickJS
  const lo = address >>> 0;
  buffer[offset] = hi >>> 8;
  buffer[offset + 1] = hi;
  buffer[offset + 2] = lo >>> 24;
  buffer[offset + 3] = lo >>> 16;
  buffer[offset + 4] = lo >>> 8;
  buffer[offset + 5] = lo;
}

/** The big-endian (network order) 16-bit field at buffer[offset]. */
export function read_u16(buffer: Uint8Array, offset: number): number {
  return (buffer[offset] << 8) | buffer[offset + 1];
}

/** The big-endian 32-bit field at buffer[offset], unsigned (0..2^32-1). */
export function read_u32(buffer: Uint8Array, offset: number): number {
  return ((buffer[offset] << 24) | (buffer[offset + 1] << 16) | (buffer[offset + 2] << 8) | buffer[offset + 3]) >>> 0;
}

/** Store the low 16 bits of `value` big-endian at buffer[offset]. */
export function write_u16(buffer: Uint8Array, offset: number, value: number): void {
  buffer[offset] = value >>> 8;
  buffer[offset + 1] = value;
}

/** Store a 32-bit value big-endian at buffer[offset]; int32 input (TCP sequence numbers) works too. */
export function write_u32(buffer: Uint8Array, offset: number, value: number): void {
  buffer[offset] = value >>> 24;
  buffer[offset + 1] = value >>> 16;
  buffer[offset + 2] = value >>> 8;
  buffer[offset + 3] = value;
}

/** Signature of a byte-copy routine: copy_bytes_js, or a native memcpy given to set_copy_helper(). */
export type CopyFn = (dst: Uint8Array, dst_offset: number, src: Uint8Array, src_offset: number, length: number) => void;

/**
 * The JS copy. Short copies use a loop; long ones use set(), which costs one
 * transient subarray object per copy (the only allocation on the receive path,
 * and it belongs to the socket buffer copy). The guest can inject a native
 * memcpy with set_copy_helper() to avoid even that.
 */
export function copy_bytes_js(dst: Uint8Array, dst_offset: number, src: Uint8Array, src_offset: number, length: number): void {
  if (length <= 32) {
    for (let i = 0; i < length; i++) dst[dst_offset + i] = src[src_offset + i];
  } else if (dst === src) {
    dst.copyWithin(dst_offset, src_offset, src_offset + length);
  } else {
    dst.set(src.subarray(src_offset, src_offset + length), dst_offset);
  }
}

/**
 * Copy `length` bytes from src[src_offset] to dst[dst_offset]: the native
 * memcpy once one is installed (a replaced binding, so one call, not two).
 */
export let copy_bytes: CopyFn = copy_bytes_js;

/** Use a native copy routine (null restores the JS one). */
export function set_copy_helper(helper: CopyFn | null): void {
  copy_bytes = helper === null ? copy_bytes_js : helper;
}
