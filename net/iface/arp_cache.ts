// Neighbor cache: IPv4 address -> MAC with expiry, plus request rate limiting.
// Fixed size; when full the entry closest to expiry is replaced. MACs are
// stored as bytes so the transmit path copies them without creating numbers
// (a 48-bit number is a boxed double in V8 whenever it crosses a call).
//
// The addresses being resolved are remembered apart, as Linux's INCOMPLETE
// neighbours: each is asked at most once a second however many packets wait
// for it, and at most MAX_RESOLVING at a time. Without that, a flood of SYNs
// from spoofed addresses would have us broadcast an ARP request per SYN.

import { read_mac, write_mac } from "../wire/bytes";

/** How long a learned IPv4 -> MAC mapping stays valid: 60 s, in µs. */
export const ARP_ENTRY_LIFETIME_US = 60_000_000;
/** Do not ask for the same address more often than this. */
export const ARP_REQUEST_INTERVAL_US = 1_000_000;
/** Addresses asked for in the last ARP_REQUEST_INTERVAL_US, at most (Linux bounds its neighbour table likewise, gc_thresh3). */
export const MAX_RESOLVING = 256;

/** The neighbor cache: a fixed-size IPv4 -> MAC table with expiry and ARP request rate limiting. */
export class ArpCache {
  private readonly ip: Float64Array;
  /** 6 bytes per entry. */
  readonly mac_bytes: Uint8Array;
  private readonly expires_at: Float64Array;
  private count = 0;
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
  }

  fill(now_us: number, ip: number, mac: number): void {
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
    this.expires_at[slot] = now_us + ARP_ENTRY_LIFETIME_US;
    this.asked_at.delete(ip);
  }

  /** The entry for `ip` (its MAC is mac_bytes[6 * entry, 6 * entry + 6)), or -1 when unknown or expired. */
  lookup(now_us: number, ip: number): number {
    for (let i = 0; i < this.count; i++) {
      if (this.ip[i] === ip) return this.expires_at[i] > now_us ? i : -1;
    }
    return -1;
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

  /** The live entries, for `ip neigh` (allocates; not for the packet path). */
  entries(now_us: number): { ip: number; mac: number }[] {
    const live = [];
    for (let i = 0; i < this.count; i++) if (this.expires_at[i] > now_us) live.push({ ip: this.ip[i], mac: this.mac_of(i) });
    return live;
  }

  /** Forget every entry. */
  flush(): void {
    this.generation++;
    this.count = 0;
    this.asked_at.clear();
  }
}
