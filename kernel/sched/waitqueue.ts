// Wait queues: sleep until a condition holds. Threads only lose the CPU at
// explicit points, and IRQs reach the kernel only through the scheduler, so
// nothing can run between a waiter's last check of its condition and its
// going to sleep: a wakeup in that window cannot exist, let alone be lost.
// The condition is re-checked after every wakeup all the same, because the
// thing waited for may be gone again by the time the waiter runs.
import { hal } from "../hal/current";
import { current_thread, schedule_then, Thread, wake_up_process } from "./sched";
import { del_timer, mod_timer } from "../time/timer";

export class WaitQueue {
  readonly waiters: Thread[] = [];
}

const ALREADY_TRUE: Promise<unknown> = Promise.resolve();

/** What wait_event_interruptible_timeout() returns when a signal ended the wait. */
export const WAIT_INTERRUPTED = -1;

/** Sleep until cond() is true (the promise's value says nothing). */
export function wait_event(wq: WaitQueue, cond: () => boolean): Promise<unknown> {
  return cond() ? ALREADY_TRUE : wait_until(wq, cond, Infinity, false);
}

/**
 * Sleep until cond() is true or `timeout_us` passed. Returns the time left
 * (at least 1) if cond() came true, 0 on timeout.
 */
export function wait_event_timeout(wq: WaitQueue, cond: () => boolean, timeout_us: number): Promise<number> {
  return wait_until(wq, cond, timeout_us, false);
}

/**
 * Sleep until cond() is true, unless a signal (Ctrl-C, a hang-up) arrives
 * first. Returns true if cond() holds, false if the wait was interrupted.
 */
export async function wait_event_interruptible(wq: WaitQueue, cond: () => boolean): Promise<boolean> {
  if (cond()) return true;
  return (await wait_until(wq, cond, Infinity, true)) > 0;
}

/** As wait_event_timeout(), but a signal ends the wait early with WAIT_INTERRUPTED. */
export function wait_event_interruptible_timeout(wq: WaitQueue, cond: () => boolean, timeout_us: number): Promise<number> {
  return wait_until(wq, cond, timeout_us, true);
}

/**
 * The one waiting loop: >0 (time left) when cond() holds, 0 on timeout,
 * WAIT_INTERRUPTED on a signal. Each pass after the first runs when the
 * thread is switched in (schedule_then): only the outcome settles a
 * promise, once per wait, for the caller to await. (A wake-up in QuickJS
 * pays for every promise and async level it goes through.)
 */
function wait_until(wq: WaitQueue, cond: () => boolean, timeout_us: number, interruptible: boolean): Promise<number> {
  // Without a timeout (most socket waits) the clock is never read: a native call saved per wake-up.
  const timed = timeout_us !== Infinity;
  const deadline = timed ? hal.now_us() + timeout_us : Infinity;
  if (cond()) return Promise.resolve(Math.max(1, timeout_us));
  const thread = waiter_thread();
  return new Promise<number>((settle, fail) => {
    const pass = (): void => {
      try {
        const left = timed ? deadline - hal.now_us() : Infinity;
        if (cond()) {
          if (timed) del_timer(thread.timer);
          settle(left > 1 ? left : 1); // (a comparison: Math.max is a native call, and this runs at every wake-up)
        } else if (interruptible && thread.sigpending) {
          if (timed) del_timer(thread.timer);
          settle(WAIT_INTERRUPTED);
        } else if (left <= 0) {
          settle(0);
        } else {
          if (timed) mod_timer(thread.timer, deadline);
          add_waiter(wq, thread, cond);
          thread.interruptible = interruptible;
          schedule_then("waiting", woken);
        }
      } catch (error) {
        fail(error); // (cond() threw: the waiting thread's code gets it, not the scheduler's pass)
      }
    };
    const woken = (): void => {
      thread.interruptible = false;
      // wake_up() took it off the queue already; a signal or the timer did not.
      if (thread.wait_condition !== null) remove_waiter(wq, thread);
      pass();
    };
    pass();
  });
}

/**
 * Wake the waiters whose condition now holds. Unlike Linux, which wakes every
 * waiter to re-check, this checks for them: a check is far cheaper here than
 * a context switch.
 */
export function wake_up(wq: WaitQueue): number {
  let woken = 0;
  const waiters = wq.waiters;
  for (let i = 0; i < waiters.length;) {
    const thread = waiters[i];
    if (thread.wait_condition !== null && thread.wait_condition()) {
      remove_at(waiters, i);
      thread.wait_condition = null;
      wake_up_process(thread);
      woken++;
    } else {
      i++;
    }
  }
  return woken;
}

/** Wake every waiter; each re-checks its own condition. */
export function wake_up_all(wq: WaitQueue): number {
  const waiters = wq.waiters;
  const woken = waiters.length;
  for (const thread of waiters) {
    thread.wait_condition = null;
    wake_up_process(thread);
  }
  waiters.length = 0;
  return woken;
}

function waiter_thread(): Thread {
  const thread = current_thread();
  if (thread === null) throw new Error("wait_event: not in thread context");
  return thread;
}

// The waiter lists grow and shrink by index and length, not push() and
// pop(): QuickJS finds an array's methods by its generic lookup (an array is
// an exotic object) and calls them as natives, every time a thread waits.
function add_waiter(wq: WaitQueue, thread: Thread, cond: () => boolean): void {
  thread.wait_condition = cond;
  const waiters = wq.waiters;
  waiters[waiters.length] = thread;
}

function remove_waiter(wq: WaitQueue, thread: Thread): void {
  thread.wait_condition = null;
  const index = wq.waiters.indexOf(thread);
  if (index >= 0) remove_at(wq.waiters, index);
}

function remove_at(list: Thread[], index: number): void {
  const last = list.length - 1;
  if (last < 0) return; // (a condition that ran meanwhile may have emptied it)
  for (let i = index; i < last; i++) list[i] = list[i + 1];
  list.length = last;
}
