// Internet checksum (RFC 1071): 16-bit ones' complement sum of big-endian words.
//
// The guest can inject a native helper (a C/asm routine behind NAPI) with the
// same contract as `checksum_js`: sum `length` bytes of `data` from `offset`,
// starting from `initial`, and return the folded 16-bit sum, NOT inverted.
// Likewise copy_checksum, which copies a payload into a frame and sums it in
// the same call (Linux's csum_partial_copy).
import { copy_bytes } from "./bytes";

/** Signature of a summing routine; see the contract above (folded 16-bit sum from `initial`, not inverted). */
export type ChecksumFn = (data: Uint8Array, offset: number, length: number, initial: number) => number;

/** The portable JS sum: big-endian 16-bit words of data[offset, offset + length), an odd last byte padded with zero. */
export function checksum_js(data: Uint8Array, offset: number, length: number, initial: number): number {
  let sum = initial;
  const end = offset + (length & ~1);
  let i = offset;
  for (; i < end; i += 2) {
    sum += (data[i] << 8) | data[i + 1];
  }
  if (length & 1) sum += data[i] << 8;
  // Fold the carries; two rounds are enough for any length a packet can have.
  sum = (sum & 0xffff) + Math.floor(sum / 0x10000);
  sum = (sum & 0xffff) + (sum >>> 16);
  return sum & 0xffff;
}

/**
 * Folded ones' complement sum of a byte range (not inverted): the native
 * helper once one is installed. A binding that set_checksum_helper()
 * replaces, not a wrapper, so the packet path pays one call, not two.
 */
export let checksum_sum: ChecksumFn = checksum_js;

/** Use a native summing routine (pass null to go back to the JS fallback). */
export function set_checksum_helper(helper: ChecksumFn | null): void {
  checksum_sum = helper === null ? checksum_js : helper;
}

/** Signature of a copy-and-sum routine: copy `length` bytes as copy_bytes does, then return their sum as a ChecksumFn would. */
export type CopyChecksumFn = (
  dst: Uint8Array,
  dst_offset: number,
  src: Uint8Array,
  src_offset: number,
  length: number,
  initial: number,
) => number;

/** The portable copy-and-sum: the two helpers one after the other. */
export const copy_checksum_js: CopyChecksumFn = (dst, dst_offset, src, src_offset, length, initial) => {
  copy_bytes(dst, dst_offset, src, src_offset, length);
  return checksum_sum(dst, dst_offset, length, initial);
};

/** Copy bytes and return their folded sum from `initial` (not inverted): the native helper once one is installed. */
export let copy_checksum: CopyChecksumFn = copy_checksum_js;

/** Use a native copy-and-sum routine (null: back to the JS one). */
export function set_copy_checksum_helper(helper: CopyChecksumFn | null): void {
  copy_checksum = helper === null ? copy_checksum_js : helper;
}

/** Sum of the IPv4 pseudo-header used by TCP and UDP checksums. */
export function pseudo_header_sum(src_addr: number, dst_addr: number, protocol: number, length: number): number {
  return (src_addr >>> 16) + (src_addr & 0xffff) + (dst_addr >>> 16) + (dst_addr & 0xffff) + protocol + length;
}

/** Fold a partial sum (below 2^32, as a few folded sums added always are) and invert it: the value that goes into a header. */
export function checksum_finish(sum: number): number {
  sum = (sum & 0xffff) + (sum >>> 16);
  sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

/** True when a range whose checksum field is included sums to 0xffff. */
export function checksum_valid(data: Uint8Array, offset: number, length: number, initial: number): boolean {
  return checksum_sum(data, offset, length, initial) === 0xffff;
}
