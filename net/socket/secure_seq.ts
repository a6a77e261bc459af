// The TCP secret and what it keys: initial sequence numbers as RFC 6528 has
// them, ISN = M + F(local address and port, remote address and port, secret)
// with M a 4 µs timer (Linux's secure_tcp_seq), and the two hashes of a SYN
// cookie (syncookies.ts). The secret starts from Math.random(); the kernel
// mixes in what it has of entropy at boot (tcp_secret_init).
import { hsiphash_4u32, HsipKey } from "./hsiphash";

/**
 * F's key, and the two keys of a SYN cookie's hashes (Linux's net_secret and
 * syncookie_secret). Random from the start; derived from the pool once
 * tcp_secret_init() has mixed entropy in (hashing them here, before the
 * kernel has installed the native hash, would cost its boot ~0.2 M
 * instructions of JavaScript hashing).
 */
const isn_key: HsipKey = random_key();
/** The keys of a SYN cookie's two hashes, [0] for the one without the time and [1] for the one with it. */
export const syncookie_keys: readonly HsipKey[] = [random_key(), random_key()];

const pool: HsipKey = random_key();
const bits = new Float64Array(1);
const bit_words = new Uint32Array(bits.buffer);

function random_key(): HsipKey {
  return { k0: (Math.random() * 0x100000000) | 0, k1: (Math.random() * 0x100000000) | 0 };
}

function derive_keys(): void {
  const keys = [isn_key, syncookie_keys[0], syncookie_keys[1]];
  for (let i = 0; i < keys.length; i++) {
    keys[i].k0 = hsiphash_4u32(i, 0, pool.k0, pool.k1, pool.k0, pool.k1) | 0;
    keys[i].k1 = hsiphash_4u32(i, 1, pool.k1, pool.k0, pool.k0, pool.k1) | 0;
  }
}

/**
 * Mix `entropy` (every bit of each number counts: the fraction of a TSC
 * reading, a wall clock, ...) into the secret and derive the keys anew.
 * Done once at boot, before any connection: sequence numbers made before
 * and after a change are unrelated.
 */
export function tcp_secret_init(entropy: readonly number[]): void {
  for (const value of entropy) {
    bits[0] = value;
    const lo = bit_words[0],
      hi = bit_words[1];
    pool.k0 = hsiphash_4u32(lo, hi, pool.k0, 1, pool.k0, pool.k1) | 0;
    pool.k1 = hsiphash_4u32(hi, lo, pool.k1, 2, pool.k0, pool.k1) | 0;
  }
  derive_keys();
}

/** The RFC 6528 initial sequence number for a connection at `now_us`, as int32. */
export function secure_tcp_iss(now_us: number, local_addr: number, local_port: number, remote_addr: number, remote_port: number): number {
  const m = Math.floor(now_us / 4);
  return (m + hsiphash_4u32(local_addr, remote_addr, (local_port << 16) | remote_port, 0, isn_key.k0, isn_key.k1)) | 0;
}
