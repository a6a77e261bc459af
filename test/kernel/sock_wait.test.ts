import { strict as assert } from "assert";
import { SockWaitQueue } from "../../kernel/net/sock_wait";
import { kthread_run } from "../../kernel/sched/sched";
import { send_sig } from "../../kernel/sched/signal";
import { add_timer, timer_setup } from "../../kernel/time/timer";
import { WAIT_INTERRUPTED } from "../../net/socket/waiter";
import { fresh_sim, run_idle } from "./helpers";

/** Run `fn` when the simulated clock reaches `at_us`. */
function at(at_us: number, fn: () => void): void {
  const timer = timer_setup(fn);
  timer.expires = at_us;
  add_timer(timer);
}

describe("kernel: socket wait queues", () => {
  it("end a wait as net/'s Waiter reads it: the time left when woken, 0 on timeout, WAIT_INTERRUPTED on a signal", async () => {
    fresh_sim();
    const socket = new SockWaitQueue();
    let readable = false;
    const results: Record<string, number> = {};
    kthread_run("woken", async () => {
      results.woken = await socket.wait(() => readable, 10_000);
    });
    kthread_run("woken-untimed", async () => {
      results.woken_untimed = await socket.wait(() => readable);
    });
    kthread_run("timed-out", async () => {
      results.timed_out = await socket.wait(() => false, 2_000);
    });
    const interrupted = kthread_run("interrupted", async () => {
      results.interrupted = await socket.wait(() => false);
    });
    at(3_000, () => send_sig(interrupted));
    at(4_000, () => {
      readable = true;
      socket.wake();
    });
    await run_idle();
    assert.deepEqual(results, { timed_out: 0, interrupted: WAIT_INTERRUPTED, woken: 6_000, woken_untimed: Infinity });
  });
});
