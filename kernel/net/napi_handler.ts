// The napi_handler thread: the NET_RX softirq's thread (DragonOS's
// napi_handler, Linux's ksoftirqd). Normally the receive path runs right
// after the interrupt that started it (see kernel/irq/softirq.ts); when it
// keeps coming back within one pass, the system is busy with it, and this
// thread takes it over: one net_rx_action() round at a time, yielding
// between rounds, so that a flood cannot starve the other threads. When the
// poll list is empty it gives the softirq back and sleeps.
//
// The thread never ends on its own. If it dies anyway (the watchdog killed
// it, or something escaped a round), the receive path must not die with it:
// a new thread takes over at once, with whatever work the old one held, and
// the restart is reported and counted.
import { NET_RX_SOFTIRQ, open_softirq, raise_softirq, run_softirq_in_thread, softirq_give_back } from "../irq/softirq";
import { KERN_ALERT, printk } from "../log";
import { cond_resched, kthread_run } from "../sched/sched";
import { wait_event, wake_up, WaitQueue } from "../sched/waitqueue";
import { softnet_data } from "./napi";

let wq = new WaitQueue();
let wanted = false;
let restarts = 0;

async function napi_handler(): Promise<void> {
  for (;;) {
    await wait_event(wq, () => wanted);
    while (run_softirq_in_thread(NET_RX_SOFTIRQ)) await cond_resched();
    wanted = false;
    softirq_give_back(NET_RX_SOFTIRQ);
  }
}

function start_napi_handler(): void {
  const thread = kthread_run("napi_handler", napi_handler);
  thread.on_exit = () => {
    restarts++;
    printk(KERN_ALERT, `Oops: napi_handler died; a new one takes over the receive path (restart ${restarts})`);
    // It may have died holding the softirq, in the middle of a poll: the new
    // thread runs a round (which lists that poll's instance again), then gives it back.
    raise_softirq(NET_RX_SOFTIRQ);
    wanted = true;
    start_napi_handler();
  };
}

/** How many times napi_handler died and was started again. */
export function napi_handler_restarts(): number {
  return restarts;
}

/** Install the NET_RX softirq and start its thread. */
export function napi_init(): void {
  wq = new WaitQueue(); // (a fresh machine in tests: no thread of the last one waits here)
  wanted = false;
  restarts = 0;
  open_softirq(NET_RX_SOFTIRQ, softnet_data.net_rx_action, () => {
    wanted = true;
    wake_up(wq);
  });
  start_napi_handler();
}
