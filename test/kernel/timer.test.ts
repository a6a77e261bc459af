import { strict as assert } from "assert";
import { hal } from "../../kernel/hal/current";
import { kthread_run, msleep } from "../../kernel/sched/sched";
import {
  add_timer,
  del_timer,
  mod_timer,
  timer_base,
  pending_timer_count,
  run_expired_timers,
  timer_lateness,
  timer_pending,
  timer_setup,
  timers_reset,
} from "../../kernel/time/timer";
import { fresh_sim, run_idle } from "./helpers";

describe("kernel: timers", () => {
  beforeEach(() => {
    fresh_sim();
    timers_reset();
  });

  it("fires in deadline order, whatever the order of arming", () => {
    const fired: number[] = [];
    const deadlines = [50, 10, 40, 10, 30, 20, 60, 5, 45, 15];
    for (const expires of deadlines) {
      const timer = timer_setup(() => fired.push(expires));
      timer.expires = expires;
      add_timer(timer);
    }
    assert.equal(timer_base.next_expiry, 5);
    assert.equal(run_expired_timers(100), deadlines.length);
    assert.deepEqual(
      fired,
      [...deadlines].sort((a, b) => a - b),
    );
    assert.equal(timer_base.next_expiry, Infinity);
  });

  it("fires only what has expired", () => {
    const fired: number[] = [];
    for (const expires of [10, 20, 30]) {
      const timer = timer_setup(() => fired.push(expires));
      mod_timer(timer, expires);
    }
    assert.equal(run_expired_timers(20), 2);
    assert.deepEqual(fired, [10, 20]);
    assert.equal(timer_base.next_expiry, 30);
  });

  it("cancels with del_timer, from the middle of the heap", () => {
    const fired: string[] = [];
    const timers = ["a", "b", "c", "d", "e"].map((name, i) => {
      const timer = timer_setup(() => fired.push(name));
      mod_timer(timer, (i + 1) * 10);
      return timer;
    });
    assert.equal(del_timer(timers[2]), true);
    assert.equal(del_timer(timers[2]), false);
    assert.equal(timer_pending(timers[2]), false);
    assert.equal(del_timer(timers[0]), true);
    run_expired_timers(1000);
    assert.deepEqual(fired, ["b", "d", "e"]);
  });

  it("re-arms with mod_timer, earlier or later", () => {
    const fired: string[] = [];
    const early = timer_setup(() => fired.push("early"));
    const late = timer_setup(() => fired.push("late"));
    mod_timer(early, 100);
    mod_timer(late, 200);
    assert.equal(mod_timer(early, 300), true); // pushed back
    assert.equal(mod_timer(late, 50), true); // pulled in
    assert.equal(pending_timer_count(), 2);
    run_expired_timers(1000);
    assert.deepEqual(fired, ["late", "early"]);
    assert.equal(mod_timer(early, 2000), false); // not pending any more
  });

  it("refuses add_timer on a pending timer", () => {
    const timer = timer_setup(() => {});
    mod_timer(timer, 10);
    assert.throws(() => add_timer(timer), /already pending/);
  });

  it("a callback may re-arm its own timer", () => {
    let count = 0;
    const timer = timer_setup(() => {
      if (++count < 3) mod_timer(timer, timer.expires + 10);
    });
    mod_timer(timer, 10);
    run_expired_timers(100);
    assert.equal(count, 3);
  });

  it("a throwing callback is reported and does not stop the others", () => {
    let ran = false;
    mod_timer(
      timer_setup(() => {
        throw new Error("bad timer");
      }),
      1,
    );
    mod_timer(
      timer_setup(() => {
        ran = true;
      }),
      2,
    );
    run_expired_timers(10);
    assert.ok(ran);
  });

  it("records lateness: p50, p99 and max", () => {
    for (let late = 0; late < 100; late++) {
      mod_timer(
        timer_setup(() => {}),
        1000 - late,
      );
    }
    run_expired_timers(1000); // timer i is i µs late
    const s = timer_lateness();
    assert.equal(s.count, 100);
    assert.equal(s.p50_us, 49);
    assert.equal(s.p99_us, 98);
    assert.equal(s.max_us, 99);
  });

  it("is tickless: an idle kernel wakes exactly at the deadline, never late", async () => {
    fresh_sim();
    const woke: number[] = [];
    kthread_run("sleeper", async () => {
      for (const ms of [1, 7, 250]) {
        await msleep(ms);
        woke.push(hal.now_us());
      }
    });
    await run_idle();
    assert.deepEqual(woke, [1000, 8000, 258000]);
    assert.equal(timer_lateness().max_us, 0);
  });

  it("a busy CPU makes timers late, and the lateness is measured", async () => {
    const sim = fresh_sim();
    kthread_run("sleeper", () => msleep(1));
    kthread_run("hog", () => {
      sim.advance(5000); // 5 ms of work without yielding
    });
    await run_idle();
    assert.equal(timer_lateness().max_us, 4000);
  });
});
