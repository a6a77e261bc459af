// How a blocking caller sleeps until its socket can make progress, without
// net/ knowing about kernel threads. Each socket gets a Waiter of its own
// (smoltcp's WakerRegistration, Linux's sk_wq): the socket's on_state_change
// wakes it, so a change reaches only the callers waiting on that socket. The
// kernel's Waiter is a wait queue (kernel/net/sock_wait.ts); under Node,
// PromiseWaiter does the same with plain promises.

/** How a wait ended. */
export enum WaitResult {
  /** The condition holds. */
  Ready,
  /** The time ran out first. */
  TimedOut,
  /** A signal (Ctrl-C, a hang-up) ended it first. */
  Interrupted,
}

/** One socket's wait queue. */
export interface Waiter {
  /** Resolve once cond() holds, the time runs out, or a signal interrupts the caller. */
  wait(cond: () => boolean, timeout_us?: number): Promise<WaitResult>;
  /** Something changed: waiters re-check their conditions. */
  wake(): void;
}

/**
 * The Node version: conditions are re-checked on every wake(). Time passes
 * only in the owner's loop, so it wakes every waiter after each step
 * (PromiseWaiters.wake_all) and timeouts are judged by its clock.
 */
export class PromiseWaiter implements Waiter {
  private waiting: { cond: () => boolean; deadline: number; resolve: (result: WaitResult) => void }[] = [];

  constructor(private readonly now_us: () => number) {}

  wait(cond: () => boolean, timeout_us = Infinity): Promise<WaitResult> {
    if (cond()) return Promise.resolve(WaitResult.Ready);
    const deadline = this.now_us() + timeout_us;
    return new Promise((resolve) => this.waiting.push({ cond, deadline, resolve }));
  }

  wake(): void {
    const now = this.now_us();
    const still: typeof this.waiting = [];
    for (const w of this.waiting) {
      if (w.cond()) w.resolve(WaitResult.Ready);
      else if (now >= w.deadline) w.resolve(WaitResult.TimedOut);
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
