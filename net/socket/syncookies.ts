// SYN cookies (RFC 4987 §3.6, as Linux's net/ipv4/syncookies.c has them
// without TCP timestamps): when a listener's queue of half-open connections
// is full, its SYN-ACK carries all the state the connection needs in its
// sequence number, and nothing is kept. The peer's ACK gives the number
// back; if it checks out, the connection is made then.
//
//   cookie = H0(addresses, ports) + peer ISN + (count << 24)
//            + ((H1(addresses, ports, count) + mss index) mod 2^24)
//
// where count moves on every minute and a cookie is good for two. The MSS
// is the only option kept, as one of four common values; window scaling and
// SACK are off on such a connection.
import { hsiphash_4u32 } from "./hsiphash";
import { syncookie_keys } from "./secure_seq";

const COOKIE_BITS = 24;
const COOKIE_MASK = (1 << COOKIE_BITS) - 1;
/** How often the count in a cookie moves on, µs (Linux: a minute). */
export const SYNCOOKIE_PERIOD_US = 60_000_000;
/** Periods a cookie stays good (Linux's MAX_SYNCOOKIE_AGE). */
export const SYNCOOKIE_MAX_AGE = 2;
/** The MSS values a cookie can carry (Linux's msstab for IPv4). */
const MSS_TABLE = [536, 1300, 1440, 1460];

function cookie_hash(remote_addr: number, remote_port: number, local_addr: number, local_port: number, count: number, c: number): number {
  const key = syncookie_keys[c];
  return hsiphash_4u32(remote_addr, local_addr, (remote_port << 16) | local_port, count, key.k0, key.k1);
}

/**
 * The sequence number of our SYN-ACK to a SYN from remote_addr:remote_port
 * with sequence number `peer_isn`, to local_addr:local_port, encoding the
 * largest table MSS not above `mss` (the smallest, 536, for a SYN without
 * the option, whose `mss` is 0); as int32.
 */
export function syncookie_make(
  now_us: number,
  remote_addr: number,
  remote_port: number,
  local_addr: number,
  local_port: number,
  peer_isn: number,
  mss: number,
): number {
  const count = Math.floor(now_us / SYNCOOKIE_PERIOD_US);
  let index = MSS_TABLE.length - 1;
  while (index > 0 && MSS_TABLE[index] > mss) index--;
  const h1 = (cookie_hash(remote_addr, remote_port, local_addr, local_port, count, 1) + index) & COOKIE_MASK;
  return (cookie_hash(remote_addr, remote_port, local_addr, local_port, 0, 0) + peer_isn + count * (1 << COOKIE_BITS) + h1) | 0;
}

/**
 * Check the ACK that answers a cookie: `cookie` is its acknowledgment
 * number less one, `peer_isn` its sequence number less one. Returns the MSS
 * the cookie carries, or 0 if it is not one of ours or has expired.
 */
export function syncookie_check(
  now_us: number,
  remote_addr: number,
  remote_port: number,
  local_addr: number,
  local_port: number,
  peer_isn: number,
  cookie: number,
): number {
  const count = Math.floor(now_us / SYNCOOKIE_PERIOD_US);
  const rest = (cookie - cookie_hash(remote_addr, remote_port, local_addr, local_port, 0, 0) - peer_isn) >>> 0;
  const age = (count - (rest >>> COOKIE_BITS)) & (0xffffffff >>> COOKIE_BITS);
  if (age >= SYNCOOKIE_MAX_AGE) return 0;
  const index = (rest - cookie_hash(remote_addr, remote_port, local_addr, local_port, count - age, 1)) & COOKIE_MASK;
  return index < MSS_TABLE.length ? MSS_TABLE[index] : 0;
}
