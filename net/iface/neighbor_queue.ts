// Packets waiting for ARP to resolve their next hop. A fixed number of frame
// buffers, each taken the first time it is needed; packets wait at most
// PENDING_LIFETIME_US.
import { copy_bytes } from "../wire/bytes";
import { Device } from "./device";

/** How long a packet waits for ARP to resolve its next hop before it is dropped: 1 s, in µs. */
export const PENDING_LIFETIME_US = 1_000_000;

const EMPTY = new Uint8Array(0);

/** Outgoing frames parked until ARP resolves their next hop's MAC; flush() then sends them. */
export class NeighborQueue {
  private readonly frames: Uint8Array[] = [];
  private readonly next_hop: Float64Array;
  private readonly length: Int32Array;
  private readonly expires_at: Float64Array;

  constructor(
    readonly slots: number,
    private readonly frame_size: number,
  ) {
    for (let i = 0; i < slots; i++) this.frames.push(EMPTY);
    this.next_hop = new Float64Array(slots);
    this.length = new Int32Array(slots);
    this.expires_at = new Float64Array(slots);
  }

  /** A free frame buffer to build a packet for `next_hop` in, or null when the queue is full. */
  reserve(now_us: number, next_hop: number, length: number): Uint8Array | null {
    for (let i = 0; i < this.slots; i++) {
      if (this.length[i] === 0 || this.expires_at[i] <= now_us) {
        if (length > this.frame_size) return null;
        if (this.frames[i] === EMPTY) this.frames[i] = new Uint8Array(this.frame_size);
        this.next_hop[i] = next_hop;
        this.length[i] = length;
        this.expires_at[i] = now_us + PENDING_LIFETIME_US;
        return this.frames[i];
      }
    }
    return null;
  }

  /** The MAC of `next_hop` is known: send what waited for it. Returns how many frames went out. */
  flush(now_us: number, next_hop: number, mac: Uint8Array, mac_offset: number, device: Device): number {
    let sent = 0;
    for (let i = 0; i < this.slots; i++) {
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
