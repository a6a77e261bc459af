// HalfSipHash-2-4 with a 32-bit output (Aumasson and Bernstein's SipHash on
// 32-bit words, as Linux's hsiphash): a keyed hash of a few words, cheap in
// 32-bit integer arithmetic. TCP keys it with a boot-time secret to make
// initial sequence numbers (RFC 6528) and SYN cookies (RFC 4987) that an
// attacker cannot predict. Nothing here allocates; the state lives in locals
// and the rounds are written out, which QuickJS runs fastest. Still, its sums
// overflow into doubles there, and a SYN flood hashes twice per SYN: the
// guest installs the runtime's native hash (boot/hsiphash.c) in its place.

/** A 64-bit key as two 32-bit words (little-endian: k0 holds key bytes 0..3). */
export interface HsipKey {
  k0: number;
  k1: number;
}

/** Signature of the hash: hsiphash_4u32_js, or a native routine given to set_hsiphash_helper(). */
export type HsiphashFn = (a: number, b: number, c: number, d: number, k0: number, k1: number) => number;

/**
 * HalfSipHash-2-4 of the 16 bytes that the words a, b, c, d make in
 * little-endian order, under the key (k0, k1); an unsigned 32-bit result.
 */
export function hsiphash_4u32_js(a: number, b: number, c: number, d: number, k0: number, k1: number): number {
  let v0 = k0 | 0;
  let v1 = k1 | 0;
  let v2 = 0x6c796765 ^ k0;
  let v3 = 0x74656462 ^ k1;
  let m = a;
  // Each word, then the length word (16 bytes, none left over): in (v3), two rounds, in again (v0).
  for (let word = 0; word < 5; word++) {
    v3 ^= m;
    v0 = (v0 + v1) | 0;
    v1 = (v1 << 5) | (v1 >>> 27);
    v1 ^= v0;
    v0 = (v0 << 16) | (v0 >>> 16);
    v2 = (v2 + v3) | 0;
    v3 = (v3 << 8) | (v3 >>> 24);
    v3 ^= v2;
    v0 = (v0 + v3) | 0;
    v3 = (v3 << 7) | (v3 >>> 25);
    v3 ^= v0;
    v2 = (v2 + v1) | 0;
    v1 = (v1 << 13) | (v1 >>> 19);
    v1 ^= v2;
    v2 = (v2 << 16) | (v2 >>> 16);
    v0 = (v0 + v1) | 0;
    v1 = (v1 << 5) | (v1 >>> 27);
    v1 ^= v0;
    v0 = (v0 << 16) | (v0 >>> 16);
    v2 = (v2 + v3) | 0;
    v3 = (v3 << 8) | (v3 >>> 24);
    v3 ^= v2;
    v0 = (v0 + v3) | 0;
    v3 = (v3 << 7) | (v3 >>> 25);
    v3 ^= v0;
    v2 = (v2 + v1) | 0;
    v1 = (v1 << 13) | (v1 >>> 19);
    v1 ^= v2;
    v2 = (v2 << 16) | (v2 >>> 16);
    v0 ^= m;
    m = word === 0 ? b : word === 1 ? c : word === 2 ? d : 16 << 24;
  }
  // Finalization: four rounds.
  v2 ^= 0xff;
  for (let round = 0; round < 4; round++) {
    v0 = (v0 + v1) | 0;
    v1 = (v1 << 5) | (v1 >>> 27);
    v1 ^= v0;
    v0 = (v0 << 16) | (v0 >>> 16);
    v2 = (v2 + v3) | 0;
    v3 = (v3 << 8) | (v3 >>> 24);
    v3 ^= v2;
    v0 = (v0 + v3) | 0;
    v3 = (v3 << 7) | (v3 >>> 25);
    v3 ^= v0;
    v2 = (v2 + v1) | 0;
    v1 = (v1 << 13) | (v1 >>> 19);
    v1 ^= v2;
    v2 = (v2 << 16) | (v2 >>> 16);
  }
  return (v1 ^ v3) >>> 0;
}

/** The hash the stack uses: a binding set_hsiphash_helper() replaces, so a SYN pays one call, not two. */
export let hsiphash_4u32: HsiphashFn = hsiphash_4u32_js;

/** Use a native hash with the same contract (null restores the JS one). */
export function set_hsiphash_helper(helper: HsiphashFn | null): void {
  hsiphash_4u32 = helper === null ? hsiphash_4u32_js : helper;
}
