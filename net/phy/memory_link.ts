// Two devices joined by an in-memory cable, with a fault injector in each
// direction (drop, duplicate, reorder, corrupt, delay). Deterministic for a
// given seed. Frame buffers are pooled, so a steady flow does not allocate.
import { NO_BYTES } from "../wire/bytes";
import { Device, DeviceCapabilities, Frame } from "../iface/device";

/** What a MemoryLink does to frames in each direction; probabilities 0..1, delays in µs, `seed` for the PRNG. */
export interface FaultConfig {
  /** Probability of each fault per frame, 0..1. */
  drop: number;
  duplicate: number;
  reorder: number;
  corrupt: number;
  /** One-way latency. */
  delay_us: number;
  /** Extra latency of a reordered frame, so later frames overtake it. */
  reorder_delay_us: number;
  seed: number;
}

/** A perfect cable: nothing dropped, duplicated, reordered, corrupted or delayed. */
export const NO_FAULTS: FaultConfig = {
  drop: 0,
  duplicate: 0,
  reorder: 0,
  corrupt: 0,
  delay_us: 0,
  reorder_delay_us: 0,
  seed: 1,
};

/** Classic Ethernet (1514-byte frames), bursts of 16, no checksum offload. */
export const DEFAULT_CAPABILITIES: DeviceCapabilities = {
  max_transmission_unit: 1514,
  max_burst_size: 16,
  checksum_rx_offload: false,
  checksum_tx_offload: false,
};

/** Frames in flight towards one endpoint. */
class Wire {
  readonly buffers: Uint8Array[] = [];
  readonly lengths: number[] = [];
  readonly deliver_at: number[] = [];
  readonly order: number[] = [];
  private sequence = 0;

  constructor(readonly capacity: number) {}

  push(buffer: Uint8Array, length: number, deliver_at: number): boolean {
    if (this.buffers.length >= this.capacity) return false;
    this.buffers.push(buffer);
    this.lengths.push(length);
    this.deliver_at.push(deliver_at);
    this.order.push(this.sequence++);
    return true;
  }

  /** Index of the frame due first (ties in sending order), or -1 when none is due. */
  due(now_us: number): number {
    let best = -1;
    for (let i = 0; i < this.buffers.length; i++) {
      if (this.deliver_at[i] > now_us) continue;
      if (
        best < 0 ||
        this.deliver_at[i] < this.deliver_at[best] ||
        (this.deliver_at[i] === this.deliver_at[best] && this.order[i] < this.order[best])
      )
        best = i;
    }
    return best;
  }

  /** Remove frame i (order of the rest does not matter: due() picks by key). */
  take(i: number): Uint8Array {
    const buffer = this.buffers[i];
    const last = this.buffers.length - 1;
    this.buffers[i] = this.buffers[last];
    this.lengths[i] = this.lengths[last];
    this.deliver_at[i] = this.deliver_at[last];
    this.order[i] = this.order[last];
    this.buffers.pop();
    this.lengths.pop();
    this.deliver_at.pop();
    this.order.pop();
    return buffer;
  }

  next_delivery(): number {
    let at = Infinity;
    for (let i = 0; i < this.deliver_at.length; i++) if (this.deliver_at[i] < at) at = this.deliver_at[i];
    return at;
  }
}

/** What the fault injector did to the frames one endpoint sent. */
export class LinkStats {
  sent = 0;
  dropped = 0;
  duplicated = 0;
  reordered = 0;
  corrupted = 0;
}

/** One end of a MemoryLink: a Device whose transmitted frames arrive at its peer after the faults. */
export class MemoryEndpoint implements Device {
  peer!: MemoryEndpoint;
  readonly incoming: Wire;
  readonly stats = new LinkStats();
  private readonly rx_frame: Frame = { buffer: NO_BYTES, offset: 0, length: 0 };
  private readonly tx_frame: Frame = { buffer: NO_BYTES, offset: 0, length: 0 };
  private rx_held: Uint8Array | null = null;

  constructor(
    readonly capabilities: DeviceCapabilities,
    readonly faults: FaultConfig,
    private readonly link: MemoryLink,
  ) {
    this.incoming = new Wire(4096);
  }

  receive(now_us: number): Frame | null {
    this.release_rx();
    const i = this.incoming.due(now_us);
    if (i < 0) return null;
    const length = this.incoming.lengths[i];
    const buffer = this.incoming.take(i);
    this.rx_held = buffer;
    this.rx_frame.buffer = buffer;
    this.rx_frame.length = length;
    return this.rx_frame;
  }

  transmit(_now_us: number, length: number): Frame | null {
    if (length > this.capabilities.max_transmission_unit) return null;
    this.tx_frame.buffer = this.link.take_buffer();
    this.tx_frame.length = length;
    return this.tx_frame;
  }

  transmit_commit(now_us: number): void {
    const buffer = this.tx_frame.buffer;
    const length = this.tx_frame.length;
    const faults = this.faults;
    const rng = this.link;
    this.stats.sent++;
    if (rng.chance(faults.drop)) {
      this.stats.dropped++;
      this.link.give_buffer(buffer);
      return;
    }
    if (rng.chance(faults.corrupt)) {
      this.stats.corrupted++;
      buffer[Math.floor(rng.random() * length)] ^= 1 << Math.floor(rng.random() * 8);
    }
    let deliver_at = now_us + faults.delay_us;
    if (rng.chance(faults.reorder)) {
      this.stats.reordered++;
      deliver_at += faults.reorder_delay_us;
    }
    if (rng.chance(faults.duplicate)) {
      this.stats.duplicated++;
      const copy = this.link.take_buffer();
      copy.set(buffer.subarray(0, length));
      if (!this.peer.incoming.push(copy, length, deliver_at + 1)) this.link.give_buffer(copy);
    }
    if (!this.peer.incoming.push(buffer, length, deliver_at)) this.link.give_buffer(buffer);
  }

  private release_rx(): void {
    if (this.rx_held !== null) this.link.give_buffer(this.rx_held);
    this.rx_held = null;
  }
}

/** A simulated cable between two Devices (a and b) with seeded, deterministic fault injection, for tests and benches. */
export class MemoryLink {
  readonly a: MemoryEndpoint;
  readonly b: MemoryEndpoint;
  private readonly pool: Uint8Array[] = [];
  private state: number;

  constructor(faults: Partial<FaultConfig> = {}, capabilities: Partial<DeviceCapabilities> = {}) {
    const f = { ...NO_FAULTS, ...faults };
    const caps = { ...DEFAULT_CAPABILITIES, ...capabilities };
    this.state = f.seed >>> 0 || 1;
    this.a = new MemoryEndpoint(caps, f, this);
    this.b = new MemoryEndpoint(caps, f, this);
    this.a.peer = this.b;
    this.b.peer = this.a;
  }

  /** When the next frame in flight arrives (Infinity when the cable is empty). */
  next_delivery_at(): number {
    return Math.min(this.a.incoming.next_delivery(), this.b.incoming.next_delivery());
  }

  take_buffer(): Uint8Array {
    return this.pool.pop() ?? new Uint8Array(this.a.capabilities.max_transmission_unit);
  }

  give_buffer(buffer: Uint8Array): void {
    this.pool.push(buffer);
  }

  /** xorshift32: uniform in [0, 1). */
  random(): number {
    let x = this.state;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.state = x >>> 0;
    return this.state / 0x100000000;
  }

  chance(probability: number): boolean {
    return probability > 0 && this.random() < probability;
  }
}
