// How a blocking caller sleeps until its socket can make progress, without
// net/ knowing about kernel threads. Each socket gets a Waiter of its own
// (smoltcp's WakerRegistration, Linux's sk_wq): the socket's on_state_change
// wakes it, so a change reaches only the callers waiting on that socket. The
// kernel's Waiter is a wait queue (kernel/net/sock_wait.ts); under Node,
// PromiseWaiter does the same with plain promises.

/**
 * How a wait ended, in the kernel wait queue's convention (Linux's
 * wait_event_interruptible_timeout): more than 0 (the time left) when the
 * condition holds, 0 when the time ran out first, WAIT_INTERRUPTED when a
 * signal (Ctrl-C, a hang-up) ended it first. The kernel's result then
 * reaches the socket API as it is, with no promise in between to translate it.
 */
export const WAIT_INTERRUPTED = -1;

/** One socket's wait queue. */
export interface Waiter {
  /** Resolve once cond() holds, the time runs out, or a signal interrupts the caller (see WAIT_INTERRUPTED). */
  wait(cond: () => boolean, timeout_us?: number): Promise<number>;
  /** Something changed: waiters re-check their conditions. */
  wake(): void;
}

/**
 * The Node version: conditions are re-checked on every wake(). Time passes
 * only in the owner's loop, so it wakes every waiter after each step
 * (PromiseWaiters.wake_all) and timeouts are judged by its clock.
 */
export class PromiseWaiter implements Waiter {
  private waiting: { cond: () => boolean; deadline: number; resolve: (left: number) => void }[] = [];

  constructor(private readonly now_us: () => number) {}

  wait(cond: () => boolean, timeout_us = Infinity): Promise<number> {
    if (cond()) return Promise.resolve(Math.max(1, timeout_us));
    const deadline = this.now_us() + timeout_us;
    return new Promise((resolve) => this.waiting.push({ cond, deadline, resolve }));
  }

  wake(): void {
    const now = this.now_us();
    const still: typeof this.waiting = [];
    for (const w of this.waiting) {
      if (w.cond()) w.resolve(Math.max(1, w.deadline - now));
      else if (now >= w.deadline) w.resolve(0);
      else still.push(w);
    }
    this.waiting = still;
  }
}

/** Every PromiseWaiter of a test's stack, so its loop can wake them all as time passes. */
export class PromiseWaiters {
  private readonly all: PromiseWaiter[] = [];

  constructor(
    private readonly now_us: () => number,
    private readonly make = (now: () => number) => new PromiseWaiter(now),
  ) {}

  /** A new waiter for one socket (the NetContext's new_waiter). */
  create(): PromiseWaiter {
    const waiter = this.make(this.now_us);
    this.all.push(waiter);
    return waiter;
  }

  /** Re-check every waiter: conditions may hold, or deadlines may have passed. */
  wake_all(): void {
    for (const waiter of this.all) waiter.wake();
  }
}
