// What every cost scenario shares. A scenario is bundled into one script and
// run by the host's build of the guest's QuickJS (`qjsbc --run`, with the
// guest's native helpers), under callgrind; tools/benches/cost.ts runs it for
// two numbers of rounds, and the difference in instructions, per round, is
// the cost of one round. So a scenario builds everything it will need for
// MAX_ROUNDS first, whatever the number it runs: only the rounds differ.
import type { Device, DeviceCapabilities, Frame } from "../../../net/iface/device";
import { HsiphashFn, set_hsiphash_helper } from "../../../net/socket/hsiphash";
import { CopyFn, set_copy_helper } from "../../../net/wire/bytes";
import { ChecksumFn, CopyChecksumFn, set_checksum_helper, set_copy_checksum_helper } from "../../../net/wire/checksum";

declare const natives: { checksum: ChecksumFn; copy: CopyFn; copy_checksum: CopyChecksumFn; hsiphash: HsiphashFn };
declare const print: (...args: unknown[]) => void;

/** The most rounds tools/benches/cost.ts asks for. */
export const MAX_ROUNDS = 300;

/** Frames in one round of tcp_rx.ts: the versus bench's frames per host turn. */
export const TCP_RX_BURST = 8;

/** Datagrams in one round of udp_rx.ts. */
export const UDP_RX_BURST = 8;

/** The rounds to run now, set by the driver in front of the bundle. */
export function rounds(): number {
  return (globalThis as unknown as { ROUNDS: number }).ROUNDS;
}

/** The guest's native helpers instead of the JS fallbacks, as kernel/entry.ts installs them. */
export function use_natives(): void {
  set_checksum_helper(natives.checksum);
  set_copy_helper(natives.copy);
  set_copy_checksum_helper(natives.copy_checksum);
  set_hsiphash_helper(natives.hsiphash);
}

/** Say what the rounds did (replies sent, bytes read): the driver prints it beside the count. */
export function report(line: string): void {
  print(line);
}

/** Bytes a frame takes in a FrameStore: a full frame, rounded to an even size. */
const SLOT = 1536;

/**
 * Frames kept for receiving, in one buffer at even offsets, as in a NIC's
 * DMA ring (so the fast paths' word views are made once, as in the guest).
 */
export class FrameStore {
  private readonly memory: Uint8Array;
  protected readonly lengths: number[] = [];
  /** The frame receive() hands out, pointed at the one asked for. */
  readonly rx: Frame;

  constructor(frames: number) {
    this.memory = new Uint8Array(frames * SLOT);
    this.rx = { buffer: this.memory, offset: 0, length: 0 };
  }

  /** Keep a copy of `frame`; returns its number. */
  add(frame: Uint8Array): number {
    const n = this.lengths.length;
    this.memory.set(frame, n * SLOT);
    this.lengths.push(frame.length);
    return n;
  }

  /** rx, pointed at frame `n`. */
  frame(n: number): Frame {
    this.rx.offset = n * SLOT;
    this.rx.length = this.lengths[n];
    return this.rx;
  }
}

/**
 * A device that hands the stack the frames queued on it, and takes what it
 * sends (counting it). (Its receive() points rx itself: a call to frame()
 * would count against the stack.)
 */
export class ReplayDevice extends FrameStore implements Device {
  readonly capabilities: DeviceCapabilities = {
    max_transmission_unit: 1514,
    max_burst_size: 16,
    checksum_rx_offload: false,
    checksum_tx_offload: false,
    gro: true,
  };
  /** Frames (their numbers, from add()) the next polls receive, last first. */
  readonly queue: number[] = [];
  sent = 0;
  private readonly tx: Frame = { buffer: new Uint8Array(1514), offset: 0, length: 0 };

  receive(): Frame | null {
    const n = this.queue.pop();
    if (n === undefined) return null;
    this.rx.offset = n * SLOT;
    this.rx.length = this.lengths[n];
    return this.rx;
  }

  transmit(_now_us: number, length: number): Frame | null {
    this.tx.length = length;
    return this.tx;
  }

  transmit_commit(): void {
    this.sent++;
  }
}
