// How blocking callers sleep until a socket condition holds, without net/
// knowing about kernel threads. The kernel injects a Waiter backed by its wait
// queues; under Node, PromiseWaiter does the same with plain promises.

export interface Waiter {
  /** Resolve once cond() is true; cond is re-checked after every wake(). */
  wait_until(cond: () => boolean): Promise<void>;
  /** Something changed (sockets call this through on_state_change). */
  wake(): void;
  /**
   * The caller gave the stack work (a SYN to send, data queued): have it
   * polled soon. The caller never polls itself.
   */
  request_poll(): void;
}

export class PromiseWaiter implements Waiter {
  private waiting: { cond: () => boolean; resolve: () => void }[] = [];

  wait_until(cond: () => boolean): Promise<void> {
    if (cond()) return Promise.resolve();
    return new Promise((resolve) => this.waiting.push({ cond, resolve }));
  }

  /** Under Node the owner's loop polls all the time; only waiters need a look. */
  request_poll(): void {
    this.wake();
  }

  wake(): void {
    const still: { cond: () => boolean; resolve: () => void }[] = [];
    for (const w of this.waiting) {
      if (w.cond()) w.resolve();
      else still.push(w);
    }
    this.waiting = still;
  }
}
