// Neighbor cache: IPv4 address -> MAC with expiry, plus request rate limiting.
// Fixed size; when full the entry closest to expiry is replaced. MACs are
// stored as bytes so the transmit path copies them without creating numbers
// (a 48-bit number is a boxed double in V8 whenever it crosses a call).

import { read_mac, write_mac } from "../wire/bytes";

/** How long a learned IPv4 -> MAC mapping stays valid: 60 s, in µs. */
export const ARP_ENTRY_LIFETIME_US = 60_000_000;
/** Do not ask for the same (or any, when the cache is being hammered) address more often than this. */
export const ARP_REQUEST_INTERVAL_US = 1_000_000;

/** The neighbor cache: a fixed-size IPv4 -> MAC table with expiry and ARP request rate limiting. */
export class ArpCache {
  private readonly ip: Float64Array;
  /** 6 bytes per entry. */
  readonly mac_bytes: Uint8Array;
  private readonly expires_at: Float64Array;
  private count = 0;
  /** Address of the last request we sent and when; one outstanding query at a time per address. */
  private silent_ip = 0;
  private silent_until = -Infinity;
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
    if (this.silent_ip === ip) this.silent_until = -Infinity;
  }

  /** The entry for `ip` (its MAC is mac_bytes[6 * entry, 6 * entry + 6)), or -1 when unknown or expired. */
  lookup(now_us: number, ip: number): number {
    for (let i = 0; i < this.count; i++) {
      if (this.ip[i] === ip) return this.expires_at[i] > now_us ? i : -1;
    }
    return -1;
  }

  /** The MAC of an entry as a number (for tools and tests). */
  mac_of(entry: number): number {
    return read_mac(this.mac_bytes, 6 * entry);
  }

  /** Whether we may send a request for `ip` now; records the request when true. */
  may_request(now_us: number, ip: number): boolean {
    if (ip === this.silent_ip && now_us < this.silent_until) return false;
    this.silent_ip = ip;
    this.silent_until = now_us + ARP_REQUEST_INTERVAL_US;
    return true;
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
    this.silent_until = -Infinity;
  }
}
