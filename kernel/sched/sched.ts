// The cooperative scheduler. A thread runs until it blocks (wait_event,
// msleep, cond_resched); blocking hands the CPU straight to the next runnable
// thread by resolving that thread's promise, so a switch costs one promise.
// When nothing is runnable the idle loop (pid 0, "swapper") runs right there,
// in the pass of the thread that blocked: it fires timers, dispatches IRQs
// and halts in hal.idle until the next deadline, then switches to the thread
// that became runnable. It has no promise of its own to wait on, so waking a
// thread from idle costs that thread's promise and nothing more.
import { hal } from "../hal/current";
import { describe_error, is_out_of_memory, is_watchdog_interrupt } from "../lib/error";
import { KERN_ALERT, KERN_EMERG, printk } from "../log";
import { del_timer, mod_timer, run_expired_timers, timer_base, timers_reset } from "../time/timer";
import { Thread, ThreadState } from "./thread";
import { tracing, trace_stage, TRACE_IDLE, TRACE_WAKE } from "../lib/trace";

export { Thread } from "./thread";
export type { ThreadState } from "./thread";

export const DEFAULT_WATCHDOG_US = 2_000_000;

let threads: Thread[] = [];
let next_pid = 1;
let current: Thread | null = null;
let run_head: Thread | null = null;
let run_tail: Thread | null = null;

let irq_poller: () => number = () => -1;

// The idle loop.
/** Nobody has the CPU and nothing will hand it on: before the kernel runs, and in tests between runs. */
let parked = true;
/** What the kernel does should the idle loop fail for good (sched_run's panic). */
let idle_died: (error: unknown) => void = () => {};
let idle_us = 0;
let idle_switches = 0;
let watchdog_armed = false;

// Tests run the idle loop in stretches (sched_run_until); between them it is parked.
interface RunLimit {
  until: () => boolean;
  deadline_us: number;
  done: (satisfied: boolean) => void;
  fail: (error: unknown) => void;
}
let run_limit: RunLimit | null = null;

/** Forget every thread and timer (a fresh machine; used at boot and by tests). */
export function sched_reset(): void {
  threads = [];
  next_pid = 1;
  current = null;
  run_head = run_tail = null;
  irq_poller = () => -1;
  parked = true;
  idle_us = 0;
  idle_switches = 0;
  watchdog_armed = false;
  run_limit = null;
  idle_died = () => {};
  timers_reset();
}

/** The IRQ layer hooks in here, so the scheduler need not depend on it. */
export function set_irq_poller(poll: () => number): void {
  irq_poller = poll;
}

/** Start a kernel thread; it first runs when the scheduler picks it. */
export function kthread_run(name: string, fn: () => Promise<void> | void, watchdog_us: number = DEFAULT_WATCHDOG_US): Thread {
  const thread = new Thread(next_pid++, name, watchdog_us, wake_up_process);
  if (current !== null) thread.nsproxy = current.nsproxy;
  const started = new Promise<void>((resolve) => {
    thread.resume = resolve;
  });
  // Not try/catch: the watchdog's "interrupted" error is uncatchable in the
  // guest, but it still rejects the thread's promise.
  started.then(fn).then(
    () => thread_exit(thread),
    (error) => thread_fault(thread, error),
  );
  threads.push(thread);
  enqueue(thread);
  return thread;
}

export function current_thread(): Thread | null {
  return current;
}

/** Every live thread, by pid. */
export function thread_list(): readonly Thread[] {
  return threads;
}

/** The idle loop's share: its time in hal.idle and how often it handed the CPU over. */
export function idle_stats(): { idle_us: number; switches: number } {
  return { idle_us, switches: idle_switches };
}

/** Make a sleeping or waiting thread runnable. Returns whether it was asleep. */
export function wake_up_process(thread: Thread): boolean {
  if (thread.state !== "sleeping" && thread.state !== "waiting") return false;
  thread.state = "runnable";
  thread.wakeups++;
  enqueue(thread);
  return true;
}

/**
 * Give up the CPU in `state` ("runnable" to just yield). The promise resolves
 * when the thread is switched in again.
 */
export function schedule(state: ThreadState): Promise<void> {
  let resume!: () => void;
  const resumed = new Promise<void>((resolve) => {
    resume = resolve;
  });
  schedule_then(state, resume);
  return resumed;
}

/**
 * Give up the CPU in `state`, like schedule(), but with no promise of its
 * own: when the thread is switched in again, `resume` runs right there, in
 * the scheduler's pass, and decides what the thread does next (settle a
 * promise its code awaits, or block again). A wait queue's waiting loop
 * (waitqueue.ts) is built on this: one promise per wait, where a loop
 * around schedule() would need one per sleep and an async function around
 * it. `resume` must not throw.
 */
export function schedule_then(state: ThreadState, resume: () => void): void {
  const thread = current;
  if (thread === null) throw new Error("schedule: not in thread context");
  thread.resume = resume;
  switch_out(thread);
  thread.state = state;
  if (state === "runnable") enqueue(thread);
  pick_next();
}

/** Let other threads, timers and IRQs run; continue when picked again. */
export function cond_resched(): Promise<void> {
  return schedule("runnable");
}

/** Sleep at least `us` microseconds. */
export async function usleep(us: number): Promise<void> {
  const thread = current;
  if (thread === null) throw new Error("usleep: not in thread context");
  const deadline = hal.now_us() + us;
  while (hal.now_us() < deadline) {
    mod_timer(thread.timer, deadline);
    await schedule("sleeping");
  }
  del_timer(thread.timer);
}

export function msleep(ms: number): Promise<void> {
  return usleep(ms * 1000);
}

// --- switching --------------------------------------------------------------

function enqueue(thread: Thread): void {
  thread.run_next = null;
  if (run_tail) run_tail.run_next = thread;
  else run_head = thread;
  run_tail = thread;
}

function dequeue(): Thread | null {
  const thread = run_head;
  if (thread) {
    run_head = thread.run_next;
    if (run_head === null) run_tail = null;
    thread.run_next = null;
  }
  return thread;
}

function switch_in(thread: Thread): void {
  current = thread;
  thread.state = "running";
  thread.switches++;
  thread.switched_in_at = hal.now_us();
  hal.thread_switch(thread.name, thread.watchdog_us);
  watchdog_armed = thread.watchdog_us > 0;
  const resume = thread.resume!;
  thread.resume = null;
  if (tracing) trace_stage(TRACE_WAKE);
  resume();
}

function switch_out(thread: Thread): void {
  thread.cpu_us += hal.now_us() - thread.switched_in_at;
  current = null;
  // What runs next is the scheduler's own pass (an interrupt-mode handler
  // under a flood may take seconds there): it must not be blamed on this
  // thread, whose watchdog would throw out of the middle of the switch.
  disarm_watchdog();
}

/**
 * Timers and IRQs get a look on every pass, so a busy CPU cannot starve
 * them. Whatever an event does here, even fail to report its own failure
 * when memory is out, the pass goes on: a thread on its way out hands the
 * CPU on from here, and nothing else would. What was not polled is polled
 * on the next pass.
 */
function poll_events(): void {
  try {
    // The IRQ poll says when it last read the clock (-1: it did not).
    let now = irq_poller();
    if (timer_base.next_expiry !== Infinity) {
      if (now < 0) now = hal.now_us();
      if (timer_base.next_expiry <= now) run_expired_timers(now);
    }
  } catch (error) {
    report(() => printk(KERN_ALERT, `Oops: an event polled between threads threw\n${describe_error(error)}`));
  }
}

/**
 * Hand the CPU to the next runnable thread. With none, the idle loop runs
 * here until one is (or, in a test, until its run is over).
 */
function pick_next(): void {
  let idled = false;
  for (;;) {
    poll_events();
    if (run_head !== null) {
      if (idled) idle_switches++;
      switch_in(dequeue()!);
      return;
    }
    // The idle loop's step, written out here: it runs for every packet that wakes an idle CPU.
    try {
      const limit = run_limit;
      if (limit !== null && (limit.until() || hal.now_us() >= limit.deadline_us)) {
        run_limit = null;
        parked = true;
        limit.done(limit.until());
        return;
      }
      if (tracing) trace_stage(TRACE_IDLE);
      // A top half that preempts us after poll_events() leaves its work in JS;
      // idle() returns at once then (see hal.ts), and the next look finds it.
      idle_us += hal.idle(limit !== null ? Math.min(timer_base.next_expiry, limit.deadline_us) : timer_base.next_expiry);
    } catch (error) {
      if (!idle_goes_on(error)) return;
    }
    idled = true;
  }
}

function thread_exit(thread: Thread): void {
  if (current === thread) switch_out(thread);
  del_timer(thread.timer);
  thread.state = "dead";
  threads.splice(threads.indexOf(thread), 1); // reaped: no one waits for a kernel thread's exit
  if (thread.on_exit) {
    try {
      thread.on_exit();
    } catch (error) {
      report(() => printk(KERN_ALERT, `Oops: exit hook of ${thread.name} threw\n${describe_error(error)}`));
    }
  }
  pick_next();
}

/**
 * Make a fault report that must not stop what follows it: out of memory,
 * even the report's text may not be had, and the thread must still end and
 * the CPU go on.
 */
function report(say: () => void): void {
  try {
    say();
  } catch {
    // Nothing more to say it with.
  }
}

/** An exception escaped the thread: report it, the thread dies, the kernel goes on. */
function thread_fault(thread: Thread, error: unknown): void {
  const ran_us = hal.now_us() - thread.switched_in_at;
  if (is_watchdog_interrupt(error)) {
    report(() =>
      printk(
        KERN_EMERG,
        `watchdog: BUG: soft lockup - CPU#0 stuck for ${(ran_us / 1e6).toFixed(3)}s! [${thread.name}:${thread.pid}]\n` +
          `watchdog: killed thread ${thread.name}`,
      ),
    );
  } else {
    report(() => printk(KERN_ALERT, `Oops: uncaught exception in thread ${thread.name} (pid ${thread.pid})\n${describe_error(error)}`));
  }
  thread_exit(thread);
}

// --- the idle loop ------------------------------------------------------------

/** Run the kernel forever (the guest's last call). */
export function sched_run(): Promise<void> {
  return new Promise<void>((_resolve, reject) => {
    idle_died = (error) => {
      printk(KERN_EMERG, `Kernel panic - not syncing: the idle loop died\n${describe_error(error)}`);
      reject(error);
    };
    parked = false;
    pick_next();
  });
}

/**
 * For tests: run until the machine is idle with `until()` true, or until
 * simulated time passes `max_us`. Resolves with whether `until()` held.
 * (The CPU is taken up in a job of its own, after the caller's code.)
 */
export function sched_run_until(until: () => boolean, max_us = 600e6): Promise<boolean> {
  return new Promise<boolean>((done, fail) => {
    run_limit = { until, deadline_us: hal.now_us() + max_us, done, fail };
    if (!parked) return;
    parked = false;
    void Promise.resolve().then(pick_next);
  });
}

/** For tests: let `us` of simulated time pass with the kernel running. */
export function sched_run_for(us: number): Promise<boolean> {
  return sched_run_until(() => false, us);
}

/**
 * The idle loop's step failed. Not the error of the thread whose pass it
 * ran in: that thread only lent it the CPU. Returns whether the loop goes
 * on; if not, the CPU is parked (a test's run fails, or the kernel panics).
 */
function idle_goes_on(error: unknown): boolean {
  if (run_limit) {
    const limit = run_limit;
    run_limit = null;
    parked = true;
    limit.fail(error);
    return false;
  }
  if (is_out_of_memory(error)) {
    // It has let nothing go, so it can go on.
    report(() => printk(KERN_ALERT, "Oops: the idle loop ran out of memory; it goes on"));
    return true;
  }
  parked = true;
  idle_died(error);
  return false;
}

function disarm_watchdog(): void {
  if (watchdog_armed) {
    hal.thread_switch("swapper", 0);
    watchdog_armed = false;
  }
}
