import { strict as assert } from "assert";
import { IRQ_HANDLED, request_irq } from "../../kernel/irq/irq";
import { dmesg_text } from "../../kernel/log";
import {
  cond_resched,
  DEFAULT_WATCHDOG_US,
  idle_stats,
  kthread_run,
  msleep,
  sched_run_for,
  thread_list,
  usleep,
} from "../../kernel/sched/sched";
import { add_timer, timer_setup } from "../../kernel/time/timer";
import { fresh_sim, run_idle } from "./helpers";

describe("kernel: scheduler", () => {
  it("runs threads in creation order and round-robins at cond_resched", async () => {
    fresh_sim();
    const trace: string[] = [];
    for (const name of ["a", "b", "c"]) {
      kthread_run(name, async () => {
        for (let i = 0; i < 3; i++) {
          trace.push(name + i);
          await cond_resched();
        }
      });
    }
    await run_idle();
    assert.deepEqual(trace, ["a0", "b0", "c0", "a1", "b1", "c1", "a2", "b2", "c2"]);
  });

  it("msleep advances the fake clock through hal.idle, with no busy wait", async () => {
    const sim = fresh_sim();
    let woke_at = -1;
    kthread_run("sleeper", async () => {
      await msleep(250);
      woke_at = sim.now_us();
    });
    await run_idle();
    assert.equal(woke_at, 250_000);
    assert.equal(idle_stats().idle_us, 250_000);
  });

  it("sleepers wake in deadline order", async () => {
    fresh_sim();
    const order: number[] = [];
    for (const ms of [30, 10, 20]) {
      kthread_run("s" + ms, async () => {
        await msleep(ms);
        order.push(ms);
      });
    }
    await run_idle();
    assert.deepEqual(order, [10, 20, 30]);
  });

  it("accounts CPU time, switches and wakeups per thread", async () => {
    const sim = fresh_sim();
    const worker = kthread_run("worker", async () => {
      sim.advance(700); // 700 µs of work
      await usleep(1000);
      sim.advance(300);
    });
    await run_idle();
    assert.equal(worker.cpu_us, 1000);
    assert.equal(worker.switches, 2);
    assert.equal(worker.wakeups, 1);
  });

  it("tells the runtime which thread runs, with its watchdog; idle gets none", async () => {
    const sim = fresh_sim();
    kthread_run("one", async () => {
      await msleep(1);
    });
    await run_idle();
    assert.deepEqual(sim.switches, [`one@${DEFAULT_WATCHDOG_US}`, "swapper@0", `one@${DEFAULT_WATCHDOG_US}`, "swapper@0"]);
  });

  it("reaps threads as they exit", async () => {
    fresh_sim();
    const t = kthread_run("short", async () => {});
    kthread_run("long", async () => {
      await msleep(10);
    });
    await sched_run_for(5000);
    assert.equal(t.state, "dead");
    assert.deepEqual(
      thread_list().map((x) => x.name),
      ["long"],
    );
  });

  it("contains an oops: the thread dies, the trace is logged, others go on", async () => {
    const sim = fresh_sim();
    let survivor_done = false;
    const bad = kthread_run("bad", async () => {
      await cond_resched();
      throw new TypeError("boom");
    });
    kthread_run("good", async () => {
      await msleep(5);
      survivor_done = true;
    });
    await run_idle();
    assert.equal(bad.state, "dead");
    assert.ok(survivor_done);
    assert.match(sim.output, /Oops: uncaught exception in thread bad \(pid 1\)/);
    assert.match(dmesg_text(), /TypeError: boom/);
    assert.match(dmesg_text(), /sched\.test\.ts/); // the JS stack
  });

  it("contains a soft lockup: the watchdog's interrupt kills only the spinner", async () => {
    const sim = fresh_sim();
    let survivor_done = false;
    const spinner = kthread_run("spinner", () => {
      // Spins on the clock: the sim counts each read as CPU time and throws
      // the runtime's "interrupted" error once the watchdog budget is spent.
      for (;;) sim.now_us();
    });
    kthread_run("good", async () => {
      await msleep(1);
      survivor_done = true;
    });
    await run_idle();
    assert.equal(spinner.state, "dead");
    assert.ok(survivor_done);
    assert.match(sim.output, /watchdog: BUG: soft lockup - CPU#0 stuck for .*\[spinner:1\]/);
  });

  it("does not fault a thread that stays under its watchdog", async () => {
    const sim = fresh_sim();
    const t = kthread_run("polite", async () => {
      for (let round = 0; round < 3; round++) {
        for (let i = 0; i < 1_000_000; i++) sim.now_us();
        await cond_resched(); // a fresh budget each time it is switched in
      }
    });
    await run_idle();
    assert.equal(t.state, "dead");
    assert.doesNotMatch(sim.output, /soft lockup/);
  });

  it("blames no thread for the scheduler's own pass: a handler that outlasts the yielder's watchdog kills nothing", async () => {
    const sim = fresh_sim();
    let handled = false;
    // An interrupt-mode handler under a flood: it runs in the scheduler's
    // pass, between two threads, for longer than a thread's watchdog allows.
    request_irq(
      11,
      () => {
        for (let i = 0; i < 2 * DEFAULT_WATCHDOG_US; i++) sim.now_us();
        handled = true;
        return IRQ_HANDLED;
      },
      "eth0",
      { threaded: false },
    );
    let rounds = 0;
    const yielder = kthread_run("yielder", async () => {
      sim.raise_irq(11);
      await cond_resched();
      rounds++;
    });
    await run_idle();
    assert.ok(handled, "the handler ran to its end");
    assert.equal(rounds, 1, "the thread went on after its yield");
    assert.equal(yielder.state, "dead");
    assert.doesNotMatch(sim.output, /soft lockup/);
  });

  it("hands the CPU on when an event it polls on a thread's way out fails, and so does the report of it (out of memory)", async () => {
    const sim = fresh_sim();
    // Out of memory, QuickJS throws null, and a report of it may fail too:
    // here a timer callback throws a value that cannot even be described.
    const unreportable = {
      toString(): string {
        throw null;
      },
    };
    const timer = timer_setup(() => {
      throw unreportable;
    });
    timer.expires = 1000;
    add_timer(timer);
    let after_yield = false;
    let other_ran = false;
    kthread_run("yielder", async () => {
      sim.advance(2000); // the timer is due when this thread gives the CPU up
      await cond_resched();
      after_yield = true;
    });
    kthread_run("other", async () => {
      other_ran = true;
    });
    assert.ok(await run_idle(), "the scheduler went on");
    assert.ok(other_ran && after_yield, "both threads ran to their end");
  });

  it("refuses to block outside thread context", () => {
    fresh_sim();
    assert.throws(() => cond_resched(), /not in thread context/);
  });
});
