// The napi_handler thread: the NET_RX softirq's thread (DragonOS's
// napi_handler, Linux's ksoftirqd). Normally the receive path runs right
// after the interrupt that started it (see kernel/irq/softirq.ts); when it
// keeps coming back within one pass, the system is busy with it, and this
// thread takes it over: one net_rx_action() round at a time, yielding
// between rounds, so that a flood cannot starve the other threads. When the
// poll list is empty it gives the softirq back and sleeps.
import { NET_RX_SOFTIRQ, open_softirq, run_softirq_in_thread, softirq_give_back } from "../irq/softirq";
import { cond_resched, kthread_run } from "../sched/sched";
import { wait_event, wake_up, WaitQueue } from "../sched/waitqueue";
import { softnet_data } from "./napi";

const wq = new WaitQueue();
let wanted = false;

async function napi_handler(): Promise<void> {
  for (;;) {
    await wait_event(wq, () => wanted);
    while (run_softirq_in_thread(NET_RX_SOFTIRQ)) await cond_resched();
    wanted = false;
    softirq_give_back(NET_RX_SOFTIRQ);
  }
}

/** Install the NET_RX softirq and start its thread. */
export function napi_init(): void {
  wanted = false;
  open_softirq(NET_RX_SOFTIRQ, () => softnet_data.net_rx_action(), () => {
    wanted = true;
    wake_up(wq);
  });
  kthread_run("napi_handler", napi_handler);
}
