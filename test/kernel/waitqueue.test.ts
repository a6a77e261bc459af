import { strict as assert } from "assert";
import { hal } from "../../kernel/hal/current";
import { cond_resched, kthread_run } from "../../kernel/sched/sched";
import { wait_event, wait_event_timeout, wake_up, wake_up_all, WaitQueue } from "../../kernel/sched/waitqueue";
import { add_timer, timer_setup } from "../../kernel/time/timer";
import { fresh_sim, run_idle } from "./helpers";

async function yields(n: number): Promise<void> {
  for (let i = 0; i < n; i++) await cond_resched();
}

describe("kernel: wait queues", () => {
  it("never loses a wakeup, whatever the interleaving of waker and sleeper", async () => {
    for (let sleeper_yields = 0; sleeper_yields < 5; sleeper_yields++) {
      for (let waker_yields = 0; waker_yields < 5; waker_yields++) {
        fresh_sim();
        const wq = new WaitQueue();
        let ready = false;
        let done = false;
        kthread_run("sleeper", async () => {
          await yields(sleeper_yields);
          await wait_event(wq, () => ready);
          done = true;
        });
        kthread_run("waker", async () => {
          await yields(waker_yields);
          ready = true;
          wake_up(wq);
        });
        await run_idle();
        assert.ok(done, `lost wakeup: sleeper yields ${sleeper_yields}, waker yields ${waker_yields}`);
      }
    }
  });

  it("hands over every item in a producer/consumer handshake at any pace", async () => {
    for (let pace = 0; pace < 4; pace++) {
      fresh_sim();
      const wq = new WaitQueue();
      let items = 0;
      let consumed = 0;
      kthread_run("consumer", async () => {
        for (let i = 0; i < 20; i++) {
          await wait_event(wq, () => items > 0);
          items--;
          consumed++;
          await yields((i * 7) % 3);
        }
      });
      kthread_run("producer", async () => {
        for (let i = 0; i < 20; i++) {
          items++;
          wake_up(wq);
          await yields((i + pace) % 4);
        }
      });
      await run_idle();
      assert.equal(consumed, 20, `pace ${pace}`);
    }
  });

  it("re-checks the condition after every wakeup", async () => {
    fresh_sim();
    const wq = new WaitQueue();
    let ready = false;
    let done = false;
    const sleeper = kthread_run("sleeper", async () => {
      await wait_event(wq, () => ready);
      done = true;
    });
    kthread_run("noise", async () => {
      await yields(1);
      wake_up_all(wq); // a wakeup with the condition still false
      await yields(2);
      assert.equal(done, false);
      assert.equal(sleeper.state, "waiting");
      ready = true;
      wake_up(wq);
    });
    await run_idle();
    assert.ok(done);
    assert.equal(sleeper.wakeups, 2);
  });

  it("wake_up wakes only waiters whose condition holds; wake_up_all wakes all", async () => {
    fresh_sim();
    const wq = new WaitQueue();
    const flags = { a: false, b: false };
    const a = kthread_run("a", async () => {
      await wait_event(wq, () => flags.a);
    });
    const b = kthread_run("b", async () => {
      await wait_event(wq, () => flags.b);
    });
    kthread_run("waker", async () => {
      await yields(1);
      flags.a = true;
      assert.equal(wake_up(wq), 1);
      assert.equal(wake_up_all(wq), 1); // b, to find its condition false
    });
    await run_idle();
    assert.equal(a.state, "dead");
    assert.equal(b.state, "waiting");
  });

  it("wakes from a timer callback (interrupt-like context)", async () => {
    fresh_sim();
    const wq = new WaitQueue();
    let ready = false;
    let woke_at = -1;
    kthread_run("sleeper", async () => {
      await wait_event(wq, () => ready);
      woke_at = hal.now_us();
    });
    const timer = timer_setup(() => {
      ready = true;
      wake_up(wq);
    });
    timer.expires = 1234;
    add_timer(timer);
    await run_idle();
    assert.equal(woke_at, 1234);
  });

  it("wait_event_timeout returns the time left, or 0 on timeout", async () => {
    fresh_sim();
    const wq = new WaitQueue();
    let ready = false;
    const results: number[] = [];
    kthread_run("on-time", async () => {
      results.push(await wait_event_timeout(wq, () => ready, 10_000));
    });
    kthread_run("too-short", async () => {
      results.push(await wait_event_timeout(wq, () => false, 2_000));
    });
    const timer = timer_setup(() => {
      ready = true;
      wake_up(wq);
    });
    timer.expires = 4_000;
    add_timer(timer);
    await run_idle();
    assert.deepEqual(results, [0, 6_000]);
    assert.equal(hal.now_us(), 4_000);
  });

  it("wait_event_timeout: condition and deadline at the same instant counts as success", async () => {
    fresh_sim();
    const wq = new WaitQueue();
    let ready = false;
    let result = -1;
    kthread_run("sleeper", async () => {
      result = await wait_event_timeout(wq, () => ready, 5_000);
    });
    const timer = timer_setup(() => {
      ready = true;
      wake_up(wq);
    });
    timer.expires = 5_000;
    add_timer(timer);
    await run_idle();
    assert.equal(result, 1);
  });

  it("wait_event_timeout sleeps again after a wakeup its condition does not hold for, and still times out on time", async () => {
    fresh_sim();
    const wq = new WaitQueue();
    let result = -1;
    const sleeper = kthread_run("sleeper", async () => {
      result = await wait_event_timeout(wq, () => false, 5_000);
    });
    const timer = timer_setup(() => wake_up_all(wq));
    timer.expires = 1_000;
    add_timer(timer);
    await run_idle();
    assert.equal(result, 0);
    assert.equal(hal.now_us(), 5_000);
    assert.equal(sleeper.wakeups, 2, "the wakeup, then its own timer");
  });

  it("a condition that throws when the waiter looks again fails that waiter's wait, not the waker's", async () => {
    fresh_sim();
    const wq = new WaitQueue();
    let ready = false;
    let broken = false;
    let caught = "";
    let waker_done = false;
    kthread_run("sleeper", async () => {
      try {
        await wait_event_timeout(
          wq,
          () => {
            if (broken) throw new Error("broken condition");
            return ready;
          },
          10_000,
        );
      } catch (error) {
        caught = (error as Error).message;
      }
    });
    kthread_run("waker", async () => {
      await yields(1);
      ready = true;
      wake_up(wq); // holds for the waker's look
      broken = true; // and throws at the sleeper's
      await yields(1);
      waker_done = true;
    });
    await run_idle();
    assert.equal(caught, "broken condition");
    assert.ok(waker_done);
  });

  it("wait_event returns at once when the condition already holds", async () => {
    fresh_sim();
    const wq = new WaitQueue();
    const t = kthread_run("quick", async () => {
      await wait_event(wq, () => true);
    });
    await run_idle();
    assert.equal(t.state, "dead");
    assert.equal(t.wakeups, 0);
  });
});
