// SYN screening, while a SYN flood lasts. Even answered with a cookie
// straight off the device (syn_fast_path.ts), a SYN costs the kernel tens of
// thousands of instructions, and a flood offers more SYNs than that leaves
// time for: the card's receive ring overflows, and what real clients send
// (their ARP requests, their SYNs) is lost with the flood. But a flood with
// spoofed sources comes from MACs no one has resolved, while a host that has
// spoken ARP with us, and every client beyond the gateway (whose MAC we
// know), sends from a MAC the neighbour table holds. So for a second after
// the interface last answered a SYN with a cookie, a SYN from a MAC the
// table does not hold is answered only within a budget (STRANGER_SYN_BURST,
// one more each STRANGER_SYN_INTERVAL_US: a first-time client still has a
// chance, and no flood has all of it), and the rest are dropped before any
// more of them is read (counted as Drop.SynScreened and TcpExt
// TCPSynScreened). Then a flood costs a look at a few table entries per
// frame, the card keeps up, and a client that resolves us by ARP is
// answered at once. It screens out blind spoofing, not an attacker who
// sends from a MAC the table holds.
import { IP_PROTOCOL_TCP } from "../wire/ipv4";
import { ArpCache } from "./arp_cache";
import { RateLimit } from "./rate_limit";

/** Screening lasts this long after the last SYN answered with a cookie. */
export const SYN_FLOOD_LINGER_US = 1_000_000;
/** SYNs from strangers answered at once while screening... */
export const STRANGER_SYN_BURST = 10;
/** ...and one more every this long: 1000 a second, about a quarter of what the guest can answer. */
export const STRANGER_SYN_INTERVAL_US = 1000;

// Where a plain SYN's fields are in its frame (Ethernet, IPv4 without options, TCP).
const ETHERTYPE_AT = 12;
const IP_VERSION_IHL_AT = 14;
const IP_PROTOCOL_AT = 23;
const SRC_MAC_AT = 6;

/** An interface's screen: whether a flood is on, and the strangers' budget. */
export class SynScreen {
  private flood_seen_at = -Infinity;
  private readonly strangers = new RateLimit(STRANGER_SYN_BURST, STRANGER_SYN_INTERVAL_US);

  /** A SYN was answered with a cookie at `now_us`: a listener's half-open queue is full, so a flood is on. */
  flood_seen(now_us: number): void {
    this.flood_seen_at = now_us;
  }

  /**
   * Whether the frame at b[o], addressed to our MAC with the TCP flags of a
   * plain SYN where a plain SYN has them, may go on to be answered: false
   * only while screening, for an IPv4 TCP SYN from a MAC `neighbours` does
   * not hold, past the strangers' budget.
   */
  admits(now_us: number, b: Uint8Array, o: number, neighbours: ArpCache): boolean {
    if (now_us - this.flood_seen_at >= SYN_FLOOD_LINGER_US) return true;
    if (neighbours.knows_mac(b, o + SRC_MAC_AT) || this.strangers.take(now_us)) return true;
    // Past the budget: screened out, if it is what it looks like.
    return !(
      b[o + ETHERTYPE_AT] === 0x08 && // IPv4 (0x0800),
      b[o + ETHERTYPE_AT + 1] === 0x00 &&
      b[o + IP_VERSION_IHL_AT] === 0x45 && // version 4, no options,
      b[o + IP_PROTOCOL_AT] === IP_PROTOCOL_TCP
    );
  }
}
