// IRQ handling, Linux style. The C hard-IRQ stub masks the line, sends EOI
// and marks it pending; on every pass the scheduler calls irq_poll(), which
// takes the pending lines and dispatches them. By default a handler is
// threaded: the line's thread ("irq/4-serial") runs it in thread context,
// where it may block, and unmasks the line when it returns (oneshot). A
// handler registered with `threaded: false` (a NIC's, as in Linux) runs at
// once, in the pass itself, and must not block; the line is unmasked right
// after it. Then come the softirqs the handlers raised (irq_exit): a NIC's
// NAPI poll runs before any thread resumes.
//
// A line may also have a top half (Linux's primary handler): it runs in
// hard-IRQ context, at QuickJS's next safe point after the interrupt,
// preempting whatever runs (a thread, a softirq, the scheduler itself). It
// touches only its device and what it hands to the rest of the driver, does
// the least that cannot wait (the NE2000 empties its tiny on-card ring), and
// either finishes there (the NE2000 schedules its NAPI poll, as Linux's
// handlers do: that only lists the instance and raises NET_RX, which runs
// at the next pass) or returns IRQ_WAKE_THREAD to have the line's other
// handlers run at the next pass. Code that a top half must not see halfway
// holds hard IRQs off with hal.local_irq_disable(); a single statement
// without a call or a branch never needs to, since QuickJS stops only at
// calls and jumps.
import { hal } from "../hal/current";
import { describe_error, is_watchdog_interrupt } from "../lib/error";
import { KERN_ALERT, KERN_ERR, printk } from "../log";
import { kthread_run, set_irq_poller, Thread } from "../sched/sched";
import { wait_event, wake_up, WaitQueue } from "../sched/waitqueue";
import { do_softirq, interrupt_context, softirq_reset } from "./softirq";
import { tracing, trace_pop, trace_push, trace_stage, TRACE_DRIVER_IRQ, TRACE_IRQ } from "../lib/trace";

export const NR_IRQS = 16;
const NOBODY_CARED_WINDOW = 100;
const NOBODY_CARED_UNHANDLED = 99;

export const IRQ_NONE = 0 as const;
export const IRQ_HANDLED = 1 as const;
/** From a top half: handled, and the line's other handlers should run at the next pass. */
export const IRQ_WAKE_THREAD = 2 as const;
export type IrqReturn = typeof IRQ_NONE | typeof IRQ_HANDLED;
export type TopHalfReturn = IrqReturn | typeof IRQ_WAKE_THREAD;

/**
 * A top half: hard-IRQ context, so it must not block, allocate per call, or
 * touch the scheduler. It may schedule NAPI (napi_schedule): the poll list is
 * written so that no top half finds it half changed.
 */
export type TopHalf = () => TopHalfReturn;

/**
 * Says whether its device interrupted. A threaded handler may block (return
 * a promise); one registered with `threaded: false` must not.
 */
export type IrqHandler = () => IrqReturn | Promise<IrqReturn>;

/** How a handler shares and runs. */
export interface IrqFlags {
  /** Let other handlers share the line (every one is called each time). */
  shared?: boolean;
  /** false: run in the scheduler pass that takes the IRQ, not in the line's thread. Default true. */
  threaded?: boolean;
  /** A top half to run in hard-IRQ context first; it makes the line preemptive. */
  top_half?: TopHalf;
}

interface IrqAction {
  handler: IrqHandler;
  name: string;
  shared: boolean;
  threaded: boolean;
  top_half: TopHalf | null;
}

export class IrqDesc {
  actions: IrqAction[] = [];
  /** Times the line fired. */
  count = 0;
  /** Fired, but no handler claimed it. */
  unhandled = 0;
  /** count and unhandled when the current window of NOBODY_CARED_WINDOW began. */
  count_at_window = 0;
  unhandled_at_window = 0;
  /** The line waits for its thread; `hard_handled` is what its non-threaded handlers said. */
  pending = false;
  hard_handled = false;
  /** How many of its handlers are threaded (then the line has a thread). */
  threaded_count = 0;
  /** How many of its handlers have a top half (then the line is preemptive). */
  top_half_count = 0;
  /** Times its top halves ran in hard-IRQ context, preempting JS. */
  preempted = 0;
  thread: Thread | null = null;
  readonly wq = new WaitQueue();

  constructor(readonly irq: number) {}
}

/**
 * The number of the lowest line in a mask of lines, found by its bit
 * (lines & -lines): every power of two below 2^32 leaves a different
 * remainder modulo 37, so this table finds it without Math.clz32, a native
 * call at every interrupt.
 */
const LINE_OF_BIT = new Uint8Array(37);
for (let line = 0; line < 32; line++) LINE_OF_BIT[2 ** line % 37] = line;

let descs: IrqDesc[] = [];
/** The preemptive lines (bit n: IRQ n). */
let preempt_mask = 0;
/** Lines whose top halves asked for the other handlers (IRQ_WAKE_THREAD) at the next pass. */
let woken_lines = 0;

/** Time in non-threaded handlers, over all lines: hard IRQ time, as /proc/stat's "irq" column. */
export const irq_stats = { hardirq_us: 0 };

export function irq_init(): void {
  softirq_reset();
  irq_stats.hardirq_us = 0;
  descs = [];
  preempt_mask = 0;
  woken_lines = 0;
  for (let irq = 0; irq < NR_IRQS; irq++) descs.push(new IrqDesc(irq));
  set_irq_poller(irq_poll);
  hal.set_hardirq_entry(hardirq_entry);
}

export function irq_descs(): readonly IrqDesc[] {
  return descs;
}

/** Install a handler; the first one on a line unmasks it. Throws if the line is taken. */
export function request_irq(irq: number, handler: IrqHandler, name: string, flags: IrqFlags = {}): void {
  const desc = descs[irq];
  if (!desc) throw new Error(`request_irq: no IRQ ${irq}`);
  const shared = flags.shared === true;
  if (desc.actions.length && !(shared && desc.actions.every((action) => action.shared))) {
    throw new Error(`request_irq: IRQ ${irq} is busy (${desc.actions.map((a) => a.name).join(", ")})`);
  }
  const threaded = flags.threaded !== false;
  const top_half = flags.top_half ?? null;
  desc.actions.push({ handler, name, shared, threaded, top_half });
  if (threaded) desc.threaded_count++;
  if (top_half) set_top_half_count(desc, desc.top_half_count + 1);
  if (threaded && desc.thread === null) start_irq_thread(desc, name);
  if (desc.actions.length === 1) hal.irq_unmask(irq);
}

function set_top_half_count(desc: IrqDesc, count: number): void {
  desc.top_half_count = count;
  if (count > 0) preempt_mask |= 1 << desc.irq;
  else preempt_mask &= ~(1 << desc.irq);
  hal.irq_set_preempt(desc.irq, count > 0);
}

function has_threaded(desc: IrqDesc): boolean {
  return desc.threaded_count > 0;
}

/** The line's thread; if a handler kills it (the watchdog), a new one takes over the line. */
function start_irq_thread(desc: IrqDesc, name: string): void {
  desc.thread = kthread_run(`irq/${desc.irq}-${name}`, () => irq_thread(desc));
  desc.thread.on_exit = () => {
    desc.thread = null;
    const threaded = desc.actions.find((action) => action.threaded);
    if (!threaded) return;
    start_irq_thread(desc, threaded.name);
    hal.irq_unmask(desc.irq);
  };
}

/** Remove a handler; the last one masks the line and ends its thread. */
export function free_irq(irq: number, handler: IrqHandler): void {
  const desc = descs[irq];
  const index = desc ? desc.actions.findIndex((action) => action.handler === handler) : -1;
  if (index < 0) throw new Error(`free_irq: IRQ ${irq} has no such handler`);
  if (desc.actions[index].threaded) desc.threaded_count--;
  if (desc.actions[index].top_half) set_top_half_count(desc, desc.top_half_count - 1);
  desc.actions.splice(index, 1);
  if (desc.actions.length === 0) hal.irq_mask(irq);
  if (!has_threaded(desc)) wake_up(desc.wq); // its thread ends
}

/**
 * The scheduler calls this on every pass: run each fired line's
 * non-threaded handlers now and hand it to its thread if it has threaded
 * ones; then run the softirqs they raised (irq_exit). Returns the time it
 * last read the clock, for the pass to go on with, or -1 if it did not.
 */
function irq_poll(): number {
  let lines = hal.irq_take_pending();
  // Taken and cleared with no call or branch between: no top half can set a bit in between.
  let woken = woken_lines;
  woken_lines = 0;
  let now = -1;
  if (lines !== 0 || woken !== 0) {
    const t0 = hal.now_us();
    interrupt_context.depth++; // irq_enter
    try {
      while (lines !== 0) {
        const irq = LINE_OF_BIT[(lines & -lines) % 37]; // the lowest line that fired
        lines &= lines - 1;
        woken &= ~(1 << irq);
        const desc = descs[irq];
        handle_irq(desc, desc.top_half_count === 0 ? IRQ_WAKE_THREAD : run_top_halves(desc), true);
      }
      while (woken !== 0) {
        const irq = LINE_OF_BIT[(woken & -woken) % 37];
        woken &= woken - 1;
        handle_irq(descs[irq], IRQ_WAKE_THREAD, false); // hardirq_entry unmasked it
      }
    } finally {
      interrupt_context.depth--; // irq_exit
    }
    now = hal.now_us();
    irq_stats.hardirq_us += now - t0;
  }
  return do_softirq(now);
}

/**
 * The runtime calls this for a preemptive line, nested in whatever JS ran:
 * the top halves run now and the line is unmasked at once, so the device
 * can interrupt again even while the pass that runs the other handlers is
 * far off.
 */
function hardirq_entry(): void {
  if (tracing) trace_push(TRACE_IRQ);
  interrupt_context.depth++; // irq_enter
  let lines = hal.irq_take_pending(preempt_mask);
  while (lines !== 0) {
    const irq = LINE_OF_BIT[(lines & -lines) % 37];
    lines &= lines - 1;
    const desc = descs[irq];
    desc.preempted++;
    const result = run_top_halves(desc);
    if (result === IRQ_WAKE_THREAD) {
      woken_lines |= 1 << irq;
    } else {
      desc.count++;
      note_interrupt(desc, result === IRQ_HANDLED);
    }
    hal.irq_unmask(irq);
  }
  interrupt_context.depth--; // irq_exit
  if (tracing) trace_pop();
}

/**
 * A line's top halves: IRQ_WAKE_THREAD if one asked for the other handlers
 * or the line has handlers without a top half; else whether one handled it.
 */
function run_top_halves(desc: IrqDesc): TopHalfReturn {
  if (desc.top_half_count === 0) return IRQ_WAKE_THREAD;
  let result: TopHalfReturn = desc.top_half_count < desc.actions.length ? IRQ_WAKE_THREAD : IRQ_NONE;
  const actions = desc.actions;
  for (let i = 0; i < actions.length; i++) {
    const top_half = actions[i].top_half;
    if (top_half === null) continue;
    // Each handler is called right here, not through a helper that catches:
    // in the guest's interpreter every call level costs about as much as a
    // small handler's work.
    let r: TopHalfReturn;
    if (tracing) trace_push(TRACE_DRIVER_IRQ);
    try {
      r = top_half();
    } catch (error) {
      r = handler_threw(desc, "top half", actions[i].name, error);
    }
    if (tracing) trace_pop();
    if (r > result) result = r;
  }
  return result;
}

/** A handler threw: report it like an oops and take the interrupt as not handled (the watchdog's interrupt goes on up). */
function handler_threw(desc: IrqDesc, what: string, name: string, error: unknown): typeof IRQ_NONE {
  if (is_watchdog_interrupt(error)) throw error; // uncatchable in the guest: the thread dies
  printk(KERN_ALERT, `Oops: IRQ ${desc.irq} ${what} ${name} threw\n${describe_error(error)}`);
  return IRQ_NONE;
}

/**
 * The pass's part of an interrupt: after the top halves said `top` (which is
 * IRQ_WAKE_THREAD for a line without any), the non-threaded handlers run now
 * and the threaded ones are handed to the line's thread. `masked`: the line
 * waits to be unmasked once they are done.
 */
function handle_irq(desc: IrqDesc, top: TopHalfReturn, masked: boolean): void {
  if (tracing) trace_stage(TRACE_IRQ);
  desc.count++;
  const actions = desc.actions;
  if (actions.length === 0) {
    note_interrupt(desc, false); // nobody handles it: count it and leave it masked
    return;
  }
  if (top !== IRQ_WAKE_THREAD) {
    note_interrupt(desc, top === IRQ_HANDLED);
    hal.irq_unmask(desc.irq);
    return;
  }
  let handled = desc.top_half_count > 0;
  for (let i = 0; i < actions.length; i++) {
    const action = actions[i];
    if (action.threaded) continue;
    let r: IrqReturn;
    if (tracing) trace_push(TRACE_DRIVER_IRQ);
    try {
      r = action.handler() as IrqReturn;
    } catch (error) {
      r = handler_threw(desc, "handler", action.name, error);
    }
    if (tracing) trace_pop();
    if (r === IRQ_HANDLED) handled = true;
  }
  if (desc.threaded_count > 0) {
    desc.hard_handled = handled;
    desc.pending = true;
    wake_up(desc.wq);
  } else {
    note_interrupt(desc, handled);
    if (masked) hal.irq_unmask(desc.irq);
  }
}

async function irq_thread(desc: IrqDesc): Promise<void> {
  for (;;) {
    await wait_event(desc.wq, () => desc.pending || !has_threaded(desc));
    if (!has_threaded(desc)) break;
    desc.pending = false;
    let handled = desc.hard_handled;
    for (const action of desc.actions.slice()) {
      if (action.threaded && (await run_handler(desc, action)) === IRQ_HANDLED) handled = true;
    }
    note_interrupt(desc, handled);
    if (desc.actions.length) hal.irq_unmask(desc.irq);
  }
}

async function run_handler(desc: IrqDesc, action: IrqAction): Promise<IrqReturn> {
  try {
    const result = action.handler();
    return typeof result === "number" ? result : await result;
  } catch (error) {
    return handler_threw(desc, "handler", action.name, error);
  }
}

/**
 * Linux's note_interrupt, scaled down: an edge-triggered line may fire once
 * more after its handler already drained the device, so one unclaimed
 * interrupt is normal; a line whose interrupts are almost never claimed
 * (99 of a window of 100) is reported.
 */
function note_interrupt(desc: IrqDesc, handled: boolean): void {
  if (!handled) desc.unhandled++;
  if (desc.count - desc.count_at_window < NOBODY_CARED_WINDOW) return;
  if (desc.unhandled - desc.unhandled_at_window >= NOBODY_CARED_UNHANDLED) {
    printk(
      KERN_ERR,
      `irq ${desc.irq}: nobody cared (${desc.unhandled - desc.unhandled_at_window} of the last ${NOBODY_CARED_WINDOW} interrupts unhandled)`,
    );
  }
  desc.count_at_window = desc.count;
  desc.unhandled_at_window = desc.unhandled;
}

/** Spurious 7/15: the hard stub tells them apart (before its EOI) and counts them. */
export function spurious_total(): number {
  return hal.irq_spurious_count(7) + hal.irq_spurious_count(15);
}
