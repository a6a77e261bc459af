// A socket's wait queue in the kernel (Linux's sk_wq): the Waiter the
// blocking socket API (net/socket/api.ts) sleeps on. Only the threads blocked
// on this socket wake when it changes, and a signal (Ctrl-C) interrupts them.
import type { Waiter } from "../../net/socket/waiter";
import { wait_event_interruptible_timeout, wake_up, WaitQueue } from "../sched/waitqueue";
import { tracing, trace_pop, trace_push, TRACE_SOCKET } from "../lib/trace";

/** The kernel's Waiter: a wait queue with interruptible, optionally timed waits. */
export class SockWaitQueue implements Waiter {
  private readonly wq = new WaitQueue();

  /**
   * The wait queue's own promise: net/'s Waiter speaks its convention (time
   * left, 0, WAIT_INTERRUPTED), so no promise in between translates it.
   */
  wait(cond: () => boolean, timeout_us = Infinity): Promise<number> {
    return wait_event_interruptible_timeout(this.wq, cond, timeout_us);
  }

  wake(): void {
    // Nobody asleep on the socket (Linux's skwq_has_sleeper): the case of
    // every packet of a burst after the first has woken its reader.
    if (this.wq.waiters.length === 0) return;
    if (tracing) trace_push(TRACE_SOCKET);
    wake_up(this.wq);
    if (tracing) trace_pop();
  }
}
