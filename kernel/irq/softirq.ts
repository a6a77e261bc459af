// Softirqs, as Linux's kernel/softirq.c: work that an interrupt raises and
// that runs right after it, at the end of the same scheduler pass, before any
// thread resumes (irq_exit). NAPI's receive path is one: a NIC's interrupt
// schedules a poll, and the poll runs at once, with no thread switch between
// the interrupt and the packet reaching its socket.
//
// Under load that would starve the threads, so a softirq runs inline only
// for a bounded time (MAX_SOFTIRQ_TIME_US, MAX_SOFTIRQ_RESTART rounds); what
// is still pending then is handed to the vector's thread (napi_handler is
// NET_RX's, as ksoftirqd is Linux's), which competes with the other threads
// round robin. While that thread holds the vector, nothing runs it inline.
//
// Only an interrupt's work runs inline. A thread that raises a softirq (a
// socket that has output schedules its device's poll) wakes the vector's
// thread instead, as Linux's raise_softirq() does outside interrupt
// context: otherwise every thread that yielded would pay for a round of
// whatever the NIC had received meanwhile, and an application answering a
// flood would spend its time receiving the flood instead of answering it.
import { hal } from "../hal/current";

/** The receive path: net_rx_action. */
export const NET_RX_SOFTIRQ = 0;
const NR_SOFTIRQS = 1;

/** Rounds of pending softirqs one irq_exit may run. */
export const MAX_SOFTIRQ_RESTART = 10;
/** Time one irq_exit may spend in softirqs, µs. */
export const MAX_SOFTIRQ_TIME_US = 2000;

interface SoftirqVector {
  /** Runs the work, given the time it starts (µs); may raise the vector again if some is left. */
  action: (now_us: number) => void;
  /** Wake the thread that takes the vector over under load. */
  wake_thread: () => void;
  /** The thread holds the vector: irq_exit leaves it alone. */
  deferred: boolean;
  /** µs spent in the action, inline or in the thread. */
  time_us: number;
  /** Times the action ran inline, at irq_exit. */
  inline_runs: number;
}

let pending = 0;
const vectors: (SoftirqVector | null)[] = new Array(NR_SOFTIRQS).fill(null);
/**
 * Nesting of interrupt context: IRQ handlers, and softirqs running (the
 * interrupt part of Linux's preempt_count). The IRQ layer changes `depth`
 * itself around its handlers (Linux's irq_enter and irq_exit): in the
 * guest's interpreter a call would cost more than the change.
 */
export const interrupt_context = { depth: 0 };

/** Forget every vector (a fresh machine; tests use it). */
export function softirq_reset(): void {
  pending = 0;
  interrupt_context.depth = 0;
  vectors.fill(null);
}

/** Whether the CPU is in interrupt context: an IRQ handler or a softirq. */
export function in_interrupt(): boolean {
  return interrupt_context.depth > 0;
}

/** Install vector `nr`: its action, and how to wake the thread that takes over under load. */
export function open_softirq(nr: number, action: (now_us: number) => void, wake_thread: () => void): void {
  vectors[nr] = { action, wake_thread, deferred: false, time_us: 0, inline_runs: 0 };
}

/**
 * Mark vector `nr` pending. Raised by an interrupt, it runs at the end of
 * the scheduler pass (irq_exit); raised by a thread, its own thread runs it.
 */
export function raise_softirq(nr: number): void {
  pending |= 1 << nr;
  if (interrupt_context.depth > 0) return;
  const vector = vectors[nr];
  if (vector === null || vector.deferred) return;
  vector.deferred = true;
  vector.wake_thread();
}

/** Whether vector `nr` is pending. */
export function softirq_pending(nr: number): boolean {
  return (pending & (1 << nr)) !== 0;
}

/**
 * irq_exit: run what is pending, within the inline budget, except vectors
 * their thread holds. Work left over goes to the vector's thread.
 * `now_us` is the time if the caller has just read the clock, else -1; the
 * result is the time when the last vector finished, or `now_us` again if
 * none ran. (In the guest every clock read is a call into the runtime: one
 * pass of the scheduler shares its readings.)
 */
export function do_softirq(now_us = -1): number {
  if (pending === 0) return now_us;
  const start = now_us >= 0 ? now_us : hal.now_us();
  let now = start;
  for (let restart = 0; restart < MAX_SOFTIRQ_RESTART; restart++) {
    let ran = false;
    for (let nr = 0; nr < NR_SOFTIRQS; nr++) {
      const vector = vectors[nr];
      if (vector === null || vector.deferred || (pending & (1 << nr)) === 0) continue;
      pending &= ~(1 << nr);
      interrupt_context.depth++;
      try {
        vector.action(now);
      } finally {
        interrupt_context.depth--;
      }
      const after = hal.now_us();
      vector.time_us += after - now;
      now = after;
      vector.inline_runs++;
      ran = true;
    }
    if (!ran || pending === 0 || now - start >= MAX_SOFTIRQ_TIME_US) break;
  }
  if (pending === 0) return now; // all done inline: the common case
  for (let nr = 0; nr < NR_SOFTIRQS; nr++) {
    const vector = vectors[nr];
    if (vector === null || vector.deferred || (pending & (1 << nr)) === 0) continue;
    // Still pending after the inline budget: the system is busy with it.
    vector.deferred = true;
    vector.wake_thread();
  }
  return now;
}

/**
 * For the vector's thread: run the action once if it is pending, counting
 * its time. Returns whether it is still pending afterwards.
 */
export function run_softirq_in_thread(nr: number): boolean {
  const vector = vectors[nr];
  if (vector === null) return false;
  if (pending & (1 << nr)) {
    pending &= ~(1 << nr);
    const t0 = hal.now_us();
    interrupt_context.depth++;
    try {
      vector.action(t0);
    } finally {
      interrupt_context.depth--;
    }
    vector.time_us += hal.now_us() - t0;
  }
  return (pending & (1 << nr)) !== 0;
}

/** Whether vector `nr`'s thread holds it (set by do_softirq under load). */
export function softirq_deferred(nr: number): boolean {
  return vectors[nr]?.deferred ?? false;
}

/** The thread is done (nothing pending): irq_exit may run the vector inline again. */
export function softirq_give_back(nr: number): void {
  const vector = vectors[nr];
  if (vector !== null) vector.deferred = false;
}

/** Time spent in vector `nr` and how often it ran inline, for ps and the charts. */
export function softirq_stats(nr: number): { time_us: number; inline_runs: number } {
  const vector = vectors[nr];
  return { time_us: vector?.time_us ?? 0, inline_runs: vector?.inline_runs ?? 0 };
}
