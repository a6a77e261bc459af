// A kernel thread: an async function that gives up the CPU only at explicit
// points (wait_event, msleep, cond_resched). While blocked it waits on one
// promise; the scheduler keeps in `resume` what settles it (or, in a wait
// queue's wait, what looks again whether the wait is over).
import { Timer } from "../time/timer";
import { init_nsproxy, NsProxy } from "./nsproxy";

/**
 * running: has the CPU. runnable: on the run queue. sleeping: timed sleep.
 * waiting: on a wait queue (maybe with a timeout). dead: exited (and reaped at once).
 */
export type ThreadState = "running" | "runnable" | "sleeping" | "waiting" | "dead";

export class Thread {
  state: ThreadState = "runnable";
  /** CPU time, µs, summed over every stretch between switch-in and switch-out. */
  cpu_us = 0;
  /** Times switched in. */
  switches = 0;
  /** Times woken from sleeping or waiting. */
  wakeups = 0;
  switched_in_at = 0;
  /** Run at switch-in: resolves the promise this thread is blocked on, or continues its wait (schedule_then). */
  resume: (() => void) | null = null;
  /** Run-queue link. */
  run_next: Thread | null = null;
  /** The condition this thread waits for on a wait queue. */
  wait_condition: (() => boolean) | null = null;
  /** Called once the thread has died and been reaped (a supervisor may restart it). */
  on_exit: (() => void) | null = null;
  /** The thread's own timer, for timed sleeps and wait timeouts. */
  readonly timer: Timer;
  /** The namespaces it lives in, inherited from the thread that started it. */
  nsproxy: NsProxy = init_nsproxy;
  /** A signal (Ctrl-C, a hang-up) arrived: interruptible waits end early. */
  sigpending = false;
  /** It waits in wait_event_interruptible(), so a signal may wake it. */
  interruptible = false;

  constructor(
    readonly pid: number,
    readonly name: string,
    /** Soft-lockup budget per run, µs (0: none). */
    readonly watchdog_us: number,
    wake: (thread: Thread) => void,
  ) {
    this.timer = new Timer(() => wake(this));
  }
}
