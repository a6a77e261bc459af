// Packets waiting for ARP to resolve their next hop. A fixed ring of frame
// buffers, made the first time a packet waits (most interfaces never wait for
// ARP; a loopback never does) and each taken then, oldest first; packets wait
// at most PENDING_LIFETIME_US. When the ring is full the oldest packet makes
// room for the new one, as a full Linux neighbour queue drops its head, so
// that a flood towards addresses that never answer (the SYN-ACKs of spoofed
// SYNs) cannot keep a new neighbour's first packet out. (A slot that flush()
// sent from the middle of the ring is taken again when it reaches the front.)
import { copy_bytes, NO_BYTES } from "../wire/bytes";
import { Device } from "./device";

/** How long a packet waits for ARP to resolve its next hop before it is dropped: 1 s, in µs. */
export const PENDING_LIFETIME_US = 1_000_000;

/** A queue's slot arrays until its first packet waits (they have no slots, so nothing writes them). */
const NO_SLOTS_F64 = new Float64Array(0);
const NO_SLOTS_I32 = new Int32Array(0);

/** Outgoing frames parked until ARP resolves their next hop's MAC; flush() then sends them. */
export class NeighborQueue {
  private readonly frames: Uint8Array[] = [];
  private next_hop = NO_SLOTS_F64;
  /** 0 for a slot that holds no packet (never used, sent, or expired). */
  private length = NO_SLOTS_I32;
  private expires_at = NO_SLOTS_F64;
  /** The ring: `used` slots from `oldest` on, in the order they were reserved. */
  private oldest = 0;
  private used = 0;
  /** Packets pushed out of a full queue by newer ones. */
  evicted = 0;

  constructor(
    readonly slots: number,
    private readonly frame_size: number,
  ) {}

  /** A frame buffer to build a packet for `next_hop` in (the oldest waiting packet may be evicted for it), or null if the packet is too large. */
  reserve(now_us: number, next_hop: number, length: number): Uint8Array | null {
    if (length > this.frame_size) return null;
    if (this.length === NO_SLOTS_I32) this.allocate();
    while (this.used > 0 && (this.length[this.oldest] === 0 || this.expires_at[this.oldest] <= now_us)) this.pop_oldest();
    if (this.used === this.slots) {
      this.pop_oldest();
      this.evicted++;
    }
    let slot = this.oldest + this.used++;
    if (slot >= this.slots) slot -= this.slots;
    if (this.frames[slot] === NO_BYTES) this.frames[slot] = new Uint8Array(this.frame_size);
    this.next_hop[slot] = next_hop;
    this.length[slot] = length;
    this.expires_at[slot] = now_us + PENDING_LIFETIME_US;
    return this.frames[slot];
  }

  /** The slots, made when the first packet waits. */
  private allocate(): void {
    for (let i = 0; i < this.slots; i++) this.frames.push(NO_BYTES);
    this.next_hop = new Float64Array(this.slots);
    this.length = new Int32Array(this.slots);
    this.expires_at = new Float64Array(this.slots);
  }

  private pop_oldest(): void {
    this.length[this.oldest] = 0;
    this.oldest = this.oldest + 1 === this.slots ? 0 : this.oldest + 1;
    this.used--;
  }

  /** The MAC of `next_hop` is known: send what waited for it. Returns how many frames went out. */
  flush(now_us: number, next_hop: number, mac: Uint8Array, mac_offset: number, device: Device): number {
    let sent = 0;
    for (let n = 0, i = this.oldest; n < this.used; n++, i = i + 1 === this.slots ? 0 : i + 1) {
      if (this.length[i] === 0 || this.next_hop[i] !== next_hop) continue;
      if (this.expires_at[i] > now_us) {
        const frame = device.transmit(now_us, this.length[i]);
        if (frame === null) return sent;
        copy_bytes(this.frames[i], 0, mac, mac_offset, 6);
        copy_bytes(frame.buffer, frame.offset, this.frames[i], 0, this.length[i]);
        device.transmit_commit(now_us);
        sent++;
      }
      this.length[i] = 0;
    }
    return sent;
  }
}
