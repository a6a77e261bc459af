// Stage marks: where a received packet's instructions go. Code on the
// receive path marks each stage the CPU enters. While tracing is on, every
// mark writes the number of the stage the CPU is in from then on to the trace
// port (hal TRACE_PORT); the host (tools/benches/profile.ts) reads the
// emulator's instruction counter at each mark and charges the instructions up
// to the next mark to that stage. While it is off, a mark costs one boolean
// check; on the hottest paths callers write `if (tracing) trace_...(...)` to
// save the call as well.
//
// Two kinds of mark: trace_stage() where a stage starts afresh (the
// scheduler dispatching an IRQ, a NAPI round, a thread switched in, the idle
// loop), and trace_push()/trace_pop() around a stage entered from another and
// left back to it (a driver's receive() called by the stack, from a NAPI poll
// or from a thread), so the caller's stage is marked again on the way back.
//
// `perf trace on|off` switches it, and `perf_trace=on` on the kernel command
// line switches it on from boot (trace_setup).
import { hal } from "../hal/current";
import { cmdline_param } from "./cmdline";

/** The scheduler dispatches a pending IRQ line to its handlers. */
export const TRACE_IRQ = 1;
/** A driver's interrupt handler or top half runs (the IRQ layer marks it around the call). */
export const TRACE_DRIVER_IRQ = 2;
/** A NAPI round: net_rx_action and the devices' polls, but for the stack's part. */
export const TRACE_NAPI = 3;
/** The driver takes a received frame from the NIC (its receive()). */
export const TRACE_DRIVER_RX = 4;
/** The stack (net/), called by the net core: taking frames in, sending what is due. */
export const TRACE_STACK = 5;
/** A socket wakes its waiter: data for a thread. */
export const TRACE_SOCKET = 6;
/** The driver transmits: its transmit() and transmit_commit(). */
export const TRACE_TX = 7;
/** A woken thread is switched in and runs. */
export const TRACE_WAKE = 8;
/** The idle loop halts; what follows a halt, up to the next mark, is the way out of it. */
export const TRACE_IDLE = 9;
/** Written back to back when tracing starts, so the host can measure what a mark itself costs. */
export const TRACE_CALIBRATE = 10;

/** The stages' names, by number, as the host prints them. */
export const TRACE_STAGE_NAMES: readonly string[] = [
  "",
  "irq",
  "driver irq",
  "napi",
  "driver rx",
  "stack",
  "socket",
  "tx",
  "wake",
  "idle",
  "calibrate",
];

/** Calibration marks written when tracing starts. */
const CALIBRATION_MARKS = 16;
/** Nesting deeper than this is not tracked (the stage stays the innermost one). */
const MAX_DEPTH = 16;

/** Whether stage marks go out. Read it, never assign it: set_tracing() does. */
export let tracing = false;

let current = 0;
let depth = 0;
const outer = new Int32Array(MAX_DEPTH);

function enter(stage: number): void {
  current = stage;
  hal.trace_mark(stage);
}

/** The CPU starts `stage` (one of the TRACE_ constants) afresh, whatever ran before. */
export function trace_stage(stage: number): void {
  if (!tracing) return;
  depth = 0;
  enter(stage);
}

/** The CPU enters `stage` from the current one, to come back to it with trace_pop(). */
export function trace_push(stage: number): void {
  if (!tracing) return;
  if (depth < MAX_DEPTH) outer[depth] = current;
  depth++;
  enter(stage);
}

/** Back to the stage before the matching trace_push(). */
export function trace_pop(): void {
  if (!tracing) return;
  if (depth > 0) depth--;
  enter(depth < MAX_DEPTH ? outer[depth] : current);
}

/** Switch the marks on or off. Switching on first writes the calibration marks. */
export function set_tracing(on: boolean): void {
  tracing = on;
  if (on) for (let i = 0; i < CALIBRATION_MARKS; i++) trace_stage(TRACE_CALIBRATE);
}

/** Honour `perf_trace=on` on the kernel command line. */
export function trace_setup(cmdline: string): void {
  if (cmdline_param(cmdline, "perf_trace") === "on") set_tracing(true);
}
