// Packet taps, as Linux's ptype_all: a tap (tcpdump's) gets a copy of every
// frame a device receives, as the driver hands it up, and of every frame it
// transmits, before the driver has it.
//
// The fast path pays nothing while no tap is open. poll_napi() gives the
// stack the device itself while `tapping` is false, and otherwise the
// device's tapped stand-in, which forwards every call to the driver and
// copies each frame to the taps that want it: one test per poll, none per
// frame.
//
// A tap copies into a bounded queue (frames and bytes) and wakes its reader.
// A full queue drops the frame and counts it; the network never waits for a
// reader. Its filter (tcpdump's expression, as Linux attaches a BPF program)
// runs first, so frames nobody asked for take no room.
import type { Device, DeviceCapabilities, Frame } from "../../net/iface/device";
import { PacketQueue } from "../../net/storage/packet_queue";
import { copy_bytes, NO_BYTES } from "../../net/wire/bytes";
import { hal } from "../hal/current";
import { wake_up, WaitQueue } from "../sched/waitqueue";

/**
 * A device as a tap sees it: its frames, its name and its namespace.
 * NetDevice is one (this file may not import it: netdevice.ts imports this).
 */
export interface TapSource extends Device {
  readonly name: string;
  readonly netns: object;
}

/** Decides from a whole frame whether a tap keeps it. */
export type TapFilter = (buffer: Uint8Array, offset: number, length: number) => boolean;

/** The way a frame crossed the device: received ("in") or transmitted ("out"). */
export type TapDirection = "in" | "out";

/** Frames a tap holds for its reader, unless told otherwise. */
export const TAP_QUEUE_FRAMES = 256;
/** Bytes of frames a tap holds, unless told otherwise. */
export const TAP_QUEUE_BYTES = 256 * 1024;

/**
 * The queue's second metadata word packs the frame's length on the wire,
 * its direction and its device (an index into PacketTap.sources), so a
 * capture allocates nothing.
 */
const LENGTH_RANGE = 1 << 20;

/** One captured frame, as PacketTap.next() fills it in. */
export class TappedFrame {
  /** hal.now_us() when the frame crossed the device. */
  time_us = 0;
  /** The device it crossed. */
  device: TapSource | null = null;
  direction: TapDirection = "in";
  /** Its length on the wire; `caplen` of its bytes were kept (the snap length). */
  length = 0;
  /** The kept bytes are buffer[offset, offset + caplen). */
  buffer: Uint8Array = NO_BYTES;
  offset = 0;
  caplen = 0;
}

/** Where `tcpdump` reads frames from: one open packet tap. */
export class PacketTap {
  /** The reader sleeps here; each captured frame wakes it. */
  readonly wq = new WaitQueue();
  /** Frames the filter accepted (Linux's tp_packets: tcpdump's "received by filter"). */
  accepted = 0;
  /** Accepted frames dropped because the queue was full (tp_drops: "dropped by kernel"). */
  dropped = 0;
  private readonly queue: PacketQueue;
  /** The devices frames came from; a frame's metadata holds an index into it. */
  private readonly sources: TapSource[] = [];
  /** next() handed out the frame at the head: it goes at the next call. */
  private held = false;

  constructor(
    /** The device to watch, or null for every device of `netns`. */
    readonly device: TapSource | null,
    /** The namespace it was opened in. */
    readonly netns: object,
    /** Which frames to keep; null keeps all. */
    readonly filter: TapFilter | null,
    /** Bytes kept of each frame. */
    readonly snaplen: number,
    { frames = TAP_QUEUE_FRAMES, bytes = TAP_QUEUE_BYTES }: { frames?: number; bytes?: number } = {},
  ) {
    this.queue = new PacketQueue(frames, bytes);
  }

  /** Whether frames of `dev` come to this tap: its device's, or any device's, while in its namespace. */
  wants(dev: TapSource): boolean {
    return (this.device === null || dev === this.device) && dev.netns === this.netns;
  }

  /**
   * Take a copy of `frame` if the filter accepts it and the queue has room,
   * stamped with the time now (the stack's now_us is its poll's, shared by
   * every frame of the poll).
   */
  capture(dev: TapSource, direction: TapDirection, frame: Frame): void {
    if (this.filter !== null && !this.filter(frame.buffer, frame.offset, frame.length)) return;
    this.accepted++;
    const now_us = hal.now_us();
    const caplen = Math.min(frame.length, this.snaplen);
    const packed = frame.length + LENGTH_RANGE * (direction === "out" ? 1 : 0) + 2 * LENGTH_RANGE * this.source_index(dev);
    const at = this.queue.enqueue(caplen, now_us, packed);
    if (at < 0) {
      this.dropped++;
      return;
    }
    copy_bytes(this.queue.payload, at, frame.buffer, frame.offset, caplen);
    wake_up(this.wq);
  }

  /** Whether a captured frame waits that next() has not handed out. */
  pending(): boolean {
    return this.queue.len() > (this.held ? 1 : 0);
  }

  /**
   * Fill `out` with the oldest captured frame; false if none waits. Its bytes
   * stay valid until the next call.
   */
  next(out: TappedFrame): boolean {
    const queue = this.queue;
    if (this.held) {
      queue.dequeue();
      this.held = false;
    }
    if (queue.is_empty()) return false;
    const packed = queue.peek_aux();
    out.time_us = queue.peek_addr();
    out.length = packed % LENGTH_RANGE;
    out.direction = Math.floor(packed / LENGTH_RANGE) % 2 === 1 ? "out" : "in";
    out.device = this.sources[Math.floor(packed / (2 * LENGTH_RANGE))];
    out.buffer = queue.payload;
    out.offset = queue.peek_offset();
    out.caplen = queue.peek_len();
    this.held = true;
    return true;
  }

  private source_index(dev: TapSource): number {
    const i = this.sources.indexOf(dev);
    return i >= 0 ? i : this.sources.push(dev) - 1;
  }
}

/** Every open tap (Linux's ptype_all). */
const ptype_all: PacketTap[] = [];

/**
 * Whether any tap is open: poll_napi() tests it once per poll. A boolean,
 * because testing one costs the guest a fraction of what reading
 * ptype_all.length does. Read it, never assign it: tap_open() and
 * tap_close() do.
 */
export let tapping = false;

/** Start capturing: from now on the tap's devices hand the stack their tapped stand-ins. */
export function tap_open(tap: PacketTap): void {
  if (ptype_all.indexOf(tap) < 0) ptype_all.push(tap);
  tapping = true;
}

/** Stop capturing; once no tap is open, the stack gets the devices themselves again. */
export function tap_close(tap: PacketTap): void {
  const i = ptype_all.indexOf(tap);
  if (i >= 0) ptype_all.splice(i, 1);
  tapping = ptype_all.length > 0;
}

/** The device every call goes to, copying the frames that cross it to the taps that want them. */
class TappedDevice implements Device {
  /** The device's own object (set_mtu() changes it in place), so the stack reads it as cheaply as ever. */
  readonly capabilities: DeviceCapabilities;
  /** The frame the stack is writing: transmit_commit() copies it before the driver sends it. */
  private pending: Frame | null = null;

  constructor(private readonly dev: TapSource) {
    this.capabilities = dev.capabilities;
  }

  receive(now_us: number): Frame | null {
    const frame = this.dev.receive(now_us);
    if (frame !== null) deliver(this.dev, "in", frame);
    return frame;
  }

  transmit(now_us: number, length: number): Frame | null {
    return (this.pending = this.dev.transmit(now_us, length));
  }

  transmit_commit(now_us: number, more?: boolean): void {
    if (this.pending !== null) deliver(this.dev, "out", this.pending);
    this.pending = null;
    this.dev.transmit_commit(now_us, more);
  }
}

/** Copy `frame` to the taps that want it. */
function deliver(dev: TapSource, direction: TapDirection, frame: Frame): void {
  for (let i = 0; i < ptype_all.length; i++) {
    const tap = ptype_all[i];
    if (tap.wants(dev)) tap.capture(dev, direction, frame);
  }
}

const stand_ins = new WeakMap<TapSource, TappedDevice>();

/**
 * What poll_napi() hands the stack while some tap is open: `dev` itself if
 * no tap wants its frames, else its tapped stand-in.
 */
export function tapped_device(dev: TapSource): Device {
  for (let i = 0; i < ptype_all.length; i++) {
    if (!ptype_all[i].wants(dev)) continue;
    let stand_in = stand_ins.get(dev);
    if (stand_in === undefined) stand_ins.set(dev, (stand_in = new TappedDevice(dev)));
    return stand_in;
  }
  return dev;
}
