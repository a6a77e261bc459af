// The plain TCP segment: the one kind of frame the receive path's fast
// paths (GRO, the SYN flood's cookies) take straight from the device. An
// Ethernet frame carrying IPv4 without options or fragmentation, carrying
// TCP, whole within the frame. Its fixed fields are checked two bytes a
// load (see words.ts); anything else goes up the stack, which checks it
// field by field and counts what is wrong.
import { checksum_sum } from "./checksum";
import { ETHERNET_HEADER_LEN } from "./ethernet";
import { IPV4_HEADER_LEN, IP_PROTOCOL_TCP } from "./ipv4";
import { TCP_HEADER_LEN } from "./tcp";
import {
  FRAGMENT_MASK,
  IPV4,
  PROTOCOL_MASK,
  PROTOCOL_TCP,
  VERSION_4_NO_OPTIONS,
  VERSION_MASK,
  W_ETHERTYPE,
  W_FRAGMENT,
  W_PROTOCOL,
  W_VERSION,
} from "./words";

const IP = ETHERNET_HEADER_LEN;

/** The least IPv4 total length of a TCP segment: both headers, no options, no payload. */
export const PLAIN_TCP_MIN_TOTAL = IPV4_HEADER_LEN + TCP_HEADER_LEN;

/**
 * The IPv4 total length of the plain TCP segment in the frame at
 * b[o, o + length), or -1 if it is not one, or its total length is not
 * from `min_total` to `max_total` (each at least both headers' length), or
 * (`verify`: the device did not check them) a checksum is wrong. `words` is
 * b as 16-bit words (o even): the caller keeps that view, made once.
 */
export function plain_tcp_ip_total(
  b: Uint8Array,
  words: Uint16Array,
  o: number,
  length: number,
  min_total: number,
  max_total: number,
  verify: boolean,
): number {
  const w = o >>> 1;
  if (words[w + W_ETHERTYPE] !== IPV4) return -1;
  if ((words[w + W_VERSION] & VERSION_MASK) !== VERSION_4_NO_OPTIONS) return -1;
  if ((words[w + W_PROTOCOL] & PROTOCOL_MASK) !== PROTOCOL_TCP) return -1;
  if ((words[w + W_FRAGMENT] & FRAGMENT_MASK) !== 0) return -1;
  const ip = o + IP;
  // The frame may carry padding after the segment, never less than it.
  const ip_total = (b[ip + 2] << 8) | b[ip + 3];
  if (ip_total < min_total || ip_total > max_total || IP + ip_total > length) return -1;
  if (verify) {
    if (checksum_sum(b, ip, IPV4_HEADER_LEN, 0) !== 0xffff) return -1;
    // The pseudo-header's addresses lie just before the TCP header: one sum
    // from the source address to the end of the segment covers both.
    const tcp_len = ip_total - IPV4_HEADER_LEN;
    if (checksum_sum(b, ip + 12, 8 + tcp_len, IP_PROTOCOL_TCP + tcp_len) !== 0xffff) return -1;
  }
  return ip_total;
}
