// Neighbor cache: IPv4 address -> MAC, plus request rate limiting.
// Fixed size; when full the entry closest to expiry is replaced. MACs are
// stored as bytes so the transmit path copies them without creating numbers
// (a 48-bit number is a boxed double in V8 whenever it crosses a call).
//
// An entry is REACHABLE for ARP_REACHABLE_US after its host last spoke ARP
// to us, then STALE, as in Linux's neighbour state machine: a stale entry is
// still used, so a connection never stops to wait for ARP, but a packet sent
// through it asks the host, by a unicast request to the MAC we have, at most
// once a second. An answer makes it reachable again; after
// ARP_UNICAST_PROBES unanswered requests the entry is dropped (FAILED), and
// the next packet resolves the address afresh by broadcast.
//
// The addresses being resolved are remembered apart, as Linux's INCOMPLETE
// neighbours: each is asked at most once a second however many packets wait
// for it, and at most MAX_RESOLVING at a time. Without that, a flood of SYNs
// from spoofed addresses would have us broadcast an ARP request per SYN.

import { read_mac, write_mac } from "../wire/bytes";

/** How long a learned IPv4 -> MAC mapping counts as confirmed (REACHABLE): 60 s, in µs. */
export const ARP_REACHABLE_US = 60_000_000;
/** Do not ask for the same address more often than this. */
export const ARP_REQUEST_INTERVAL_US = 1_000_000;
/** Unicast requests a stale entry may go unanswered before it is dropped (Linux's ucast_solicit). */
export const ARP_UNICAST_PROBES = 3;
/** Addresses asked for in the last ARP_REQUEST_INTERVAL_US, at most (Linux bounds its neighbour table likewise, gc_thresh3). */
export const MAX_RESOLVING = 256;

/** The neighbor cache: a fixed-size IPv4 -> MAC table with expiry and ARP request rate limiting. */
export class ArpCache {
  private readonly ip: Float64Array;
  /** 6 bytes per entry. */
  readonly mac_bytes: Uint8Array;
  /** When the entry stops being REACHABLE (and becomes STALE). */
  private readonly expires_at: Float64Array;
  /** Unicast requests sent since the entry went stale, and when the last went. */
  private readonly probes: Uint8Array;
  private readonly probed_at: Float64Array;
  private count = 0;
  /** Set by resolve(): a unicast request should go to the entry it returned, now. */
  probe_due = false;
  /** Entries dropped because their host answered none of the unicast requests (Linux's res_failed). */
  failed = 0;
  /** Address being resolved -> when we last asked for it. */
  private readonly asked_at = new Map<number, number>();
  /** Requests not sent because MAX_RESOLVING addresses were being resolved. */
  resolving_full = 0;
  /** Bumped whenever an entry's MAC may have changed: a header built from an entry is good while this holds. */
  generation = 0;

  constructor(readonly capacity = 16) {
    this.ip = new Float64Array(capacity);
    this.mac_bytes = new Uint8Array(6 * capacity);
    this.expires_at = new Float64Array(capacity);
    this.probes = new Uint8Array(capacity);
    this.probed_at = new Float64Array(capacity);
  }

  /** Learn (or confirm) that `ip` is at `mac`: the entry is REACHABLE again. Returns the entry. */
  fill(now_us: number, ip: number, mac: number): number {
    let slot = -1;
    let oldest = 0;
    for (let i = 0; i < this.count; i++) {
      if (this.ip[i] === ip) {
        slot = i;
        break;
      }
      if (this.expires_at[i] < this.expires_at[oldest]) oldest = i;
    }
    if (slot < 0) slot = this.count < this.capacity ? this.count++ : oldest;
    this.ip[slot] = ip;
    write_mac(this.mac_bytes, 6 * slot, mac);
    this.generation++;
    this.expires_at[slot] = now_us + ARP_REACHABLE_US;
    this.probes[slot] = 0;
    this.probed_at[slot] = -Infinity;
    this.asked_at.delete(ip);
    return slot;
  }

  /** The entry for `ip`, reachable or stale (its MAC is mac_bytes[6 * entry, 6 * entry + 6)), or -1 when unknown. */
  lookup(ip: number): number {
    for (let i = 0; i < this.count; i++) if (this.ip[i] === ip) return i;
    return -1;
  }

  /** Whether some entry, reachable or stale, has the MAC at b[at, at + 6): a machine ARP has heard from. */
  knows_mac(b: Uint8Array, at: number): boolean {
    const mac = this.mac_bytes;
    const b0 = b[at];
    for (let m = 0, end = 6 * this.count; m < end; m += 6) {
      if (
        mac[m] === b0 &&
        mac[m + 1] === b[at + 1] &&
        mac[m + 2] === b[at + 2] &&
        mac[m + 3] === b[at + 3] &&
        mac[m + 4] === b[at + 4] &&
        mac[m + 5] === b[at + 5]
      )
        return true;
    }
    return false;
  }

  /**
   * The entry to send a packet to `ip` through, or -1 (resolve by
   * broadcast). A stale entry is used, and sets probe_due when a unicast
   * request should ask its host now; one that has asked ARP_UNICAST_PROBES
   * times in vain is dropped instead.
   */
  resolve(now_us: number, ip: number): number {
    this.probe_due = false;
    for (let i = 0; i < this.count; i++) {
      if (this.ip[i] !== ip) continue;
      return this.expires_at[i] > now_us ? i : this.stale(now_us, i);
    }
    return -1;
  }

  private stale(now_us: number, entry: number): number {
    if (now_us - this.probed_at[entry] < ARP_REQUEST_INTERVAL_US) return entry; // the last request may yet be answered
    if (this.probes[entry] >= ARP_UNICAST_PROBES) {
      this.remove(entry);
      this.failed++;
      return -1;
    }
    this.probes[entry]++;
    this.probed_at[entry] = now_us;
    this.probe_due = true;
    return entry;
  }

  /** Drop an entry: the last one takes its slot. */
  private remove(entry: number): void {
    const last = --this.count;
    this.ip[entry] = this.ip[last];
    this.mac_bytes.copyWithin(6 * entry, 6 * last, 6 * last + 6);
    this.expires_at[entry] = this.expires_at[last];
    this.probes[entry] = this.probes[last];
    this.probed_at[entry] = this.probed_at[last];
    this.generation++;
  }

  /** Entries in the table, live or expired (Linux's "entries"). */
  get size(): number {
    return this.count;
  }

  /** The MAC of an entry as a number (for tools and tests). */
  mac_of(entry: number): number {
    return read_mac(this.mac_bytes, 6 * entry);
  }

  /** Whether we may send a request for `ip` now; records the request when true. */
  may_request(now_us: number, ip: number): boolean {
    const asked = this.asked_at.get(ip);
    if (asked !== undefined && now_us - asked < ARP_REQUEST_INTERVAL_US) return false;
    if (asked === undefined && this.asked_at.size >= MAX_RESOLVING && !this.forget_stale_requests(now_us)) {
      this.resolving_full++;
      return false;
    }
    this.asked_at.set(ip, now_us);
    return true;
  }

  /** Forget the requests older than ARP_REQUEST_INTERVAL_US (they may be asked again); whether any was. */
  private forget_stale_requests(now_us: number): boolean {
    const size = this.asked_at.size;
    for (const [ip, asked] of this.asked_at) if (now_us - asked >= ARP_REQUEST_INTERVAL_US) this.asked_at.delete(ip);
    return this.asked_at.size < size;
  }

  /** The entries and their states, for `ip neigh` (allocates; not for the packet path). */
  entries(now_us: number): { ip: number; mac: number; state: "REACHABLE" | "STALE" | "PROBE" }[] {
    const all = [];
    for (let i = 0; i < this.count; i++) {
      const state = this.expires_at[i] > now_us ? "REACHABLE" : this.probes[i] > 0 ? "PROBE" : "STALE";
      all.push({ ip: this.ip[i], mac: this.mac_of(i), state } as const);
    }
    return all;
  }

  /** Forget every entry. */
  flush(): void {
    this.generation++;
    this.count = 0;
    this.asked_at.clear();
  }
}
