import { strict as assert } from "assert";
import { IRQ_HANDLED, request_irq } from "../../kernel/irq/irq";
import {
  open_softirq,
  raise_softirq,
  softirq_deferred,
  softirq_give_back,
  softirq_stats,
  run_softirq_in_thread,
} from "../../kernel/irq/softirq";
import { current_thread, kthread_run } from "../../kernel/sched/sched";
import { wait_event, wake_up, WaitQueue } from "../../kernel/sched/waitqueue";
import { fresh_sim, run_idle } from "./helpers";

const VECTOR = 0;

/** A vector whose action records where it ran, with a thread that takes it over as napi_handler does. */
function install(): { ran_in: string[] } {
  const ran_in: string[] = [];
  const wq = new WaitQueue();
  let wanted = false;
  open_softirq(
    VECTOR,
    () => ran_in.push(current_thread()?.name ?? "irq_exit"),
    () => {
      wanted = true;
      wake_up(wq);
    },
  );
  kthread_run("softirqd", async () => {
    for (;;) {
      await wait_event(wq, () => wanted);
      while (run_softirq_in_thread(VECTOR));
      wanted = false;
      softirq_give_back(VECTOR);
    }
  });
  return { ran_in };
}

describe("kernel: softirqs", () => {
  it("raised by an interrupt handler, runs at irq_exit, in no thread", async () => {
    const sim = fresh_sim();
    const { ran_in } = install();
    request_irq(11, () => (raise_softirq(VECTOR), IRQ_HANDLED), "eth0", { threaded: false });
    await run_idle();
    sim.raise_irq(11);
    await run_idle();
    assert.deepEqual(ran_in, ["irq_exit"]);
    assert.equal(softirq_stats(VECTOR).inline_runs, 1);
  });

  it("raised by a thread, wakes the vector's thread instead of running at the next pass", async () => {
    fresh_sim();
    const { ran_in } = install();
    kthread_run("app", async () => {
      raise_softirq(VECTOR); // a socket with output schedules its device's poll
      assert.equal(softirq_deferred(VECTOR), true, "the vector's thread holds it");
    });
    await run_idle();
    assert.deepEqual(ran_in, ["softirqd"]);
    assert.equal(softirq_stats(VECTOR).inline_runs, 0);
    assert.equal(softirq_deferred(VECTOR), false, "given back once done");
  });
});
