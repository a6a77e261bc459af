// Signals, reduced to what a terminal needs: Ctrl-C or a hang-up interrupts
// the thread running a command (Linux's SIGINT and SIGHUP). A thread in an
// interruptible wait (wait_event_interruptible) is woken and its wait ends
// early; an uninterruptible one finishes first. Nothing is delivered
// asynchronously: the thread notices at its next interruptible wait.
import { wake_up_process } from "./sched";
import type { Thread } from "./thread";

/** Interrupt `thread`: it stops at its next interruptible wait, or now if it is in one. */
export function send_sig(thread: Thread): void {
  thread.sigpending = true;
  if (thread.state === "waiting" && thread.interruptible) wake_up_process(thread);
}

/** Forget a pending signal (the shell does this once a command has returned). */
export function flush_signals(thread: Thread): void {
  thread.sigpending = false;
}
