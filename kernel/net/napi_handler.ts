// The napi_handler thread (DragonOS's napi_handler, Linux's NET_RX softirq
// and ksoftirqd in one): it sleeps while the poll list is empty and runs one
// net_rx_action() round at a time, yielding between rounds so that a flood
// cannot starve the other threads.
import { cond_resched, kthread_run } from "../sched/sched";
import { wait_event } from "../sched/waitqueue";
import { net_rx_action, softnet_data } from "./napi";

async function napi_handler(): Promise<void> {
  for (;;) {
    await wait_event(softnet_data.wq, () => softnet_data.has_work());
    net_rx_action(softnet_data);
    await cond_resched();
  }
}

/** Start the napi_handler thread. */
export function napi_init(): void {
  kthread_run("napi_handler", napi_handler);
}
