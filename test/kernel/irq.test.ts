import { strict as assert } from "assert";
import { free_irq, IRQ_HANDLED, IRQ_NONE, IRQ_WAKE_THREAD, irq_descs, request_irq } from "../../kernel/irq/irq";
import { show_interrupts } from "../../kernel/irq/proc_interrupts";
import { set_tracing, TRACE_IDLE } from "../../kernel/lib/trace";
import { msleep, sched_run_for, thread_list } from "../../kernel/sched/sched";
import { fresh_sim, run_idle } from "./helpers";

describe("kernel: IRQ dispatcher", () => {
  it("runs the handler in its own thread and unmasks the line only when it returns", async () => {
    const sim = fresh_sim();
    let masked_during_handler: boolean | null = null;
    let calls = 0;
    request_irq(
      11,
      async () => {
        calls++;
        await msleep(3); // handlers run in thread context and may block
        masked_during_handler = sim.is_masked(11);
        return IRQ_HANDLED;
      },
      "nic",
    );
    assert.equal(sim.is_masked(11), false, "request_irq opens the line");
    assert.ok(thread_list().some((t) => t.name === "irq/11-nic"));
    sim.raise_irq(11);
    await run_idle();
    assert.equal(calls, 1);
    assert.equal(masked_during_handler, true);
    assert.equal(sim.is_masked(11), false);
    assert.equal(irq_descs()[11].count, 1);
  });

  it("delivers an IRQ raised while the line is masked once it is unmasked", async () => {
    const sim = fresh_sim();
    let calls = 0;
    request_irq(
      5,
      async () => {
        calls++;
        if (calls === 1) sim.raise_irq(5); // fires again while we still hold the line
        return IRQ_HANDLED;
      },
      "dev",
    );
    sim.raise_irq(5);
    await run_idle();
    assert.equal(calls, 2);
  });

  it("calls every handler on a shared line", async () => {
    const sim = fresh_sim();
    const called: string[] = [];
    request_irq(10, () => (called.push("a"), IRQ_NONE), "a", { shared: true });
    request_irq(10, () => (called.push("b"), IRQ_HANDLED), "b", { shared: true });
    sim.raise_irq(10);
    await run_idle();
    assert.deepEqual(called, ["a", "b"]);
    assert.equal(irq_descs()[10].unhandled, 0);
    assert.match(show_interrupts(), /^ 10:\s+1\s+XT-PIC\s+a, b$/m);
  });

  it("refuses a second handler on a line that is not shared", () => {
    fresh_sim();
    request_irq(3, () => IRQ_HANDLED, "one");
    assert.throws(() => request_irq(3, () => IRQ_HANDLED, "two", { shared: true }), /busy/);
  });

  it("counts a line no handler claims as unhandled, and reports one that is never claimed", async () => {
    const sim = fresh_sim();
    request_irq(9, () => IRQ_NONE, "shy");
    sim.raise_irq(9);
    await run_idle();
    assert.equal(irq_descs()[9].unhandled, 1);
    assert.doesNotMatch(sim.output, /nobody cared/); // one stray edge is normal
    for (let i = 0; i < 99; i++) {
      sim.raise_irq(9);
      await run_idle();
    }
    assert.match(sim.output, /irq 9: nobody cared \(100 of the last 100 interrupts unhandled\)/);
  });

  it("counts spurious IRQ 7 and 15 apart from real ones nobody claimed", async () => {
    const sim = fresh_sim();
    request_irq(15, () => IRQ_NONE, "ide1");
    sim.irq_unmask(7);
    sim.raise_irq(7); // not in service: the hard stub dismisses it as spurious
    sim.raise_irq(15);
    await run_idle();
    assert.equal(irq_descs()[7].count, 0);
    assert.equal(irq_descs()[15].count, 0);
    assert.match(show_interrupts(), /^SPU:\s+2\s+Spurious interrupts$/m);

    sim.in_service = 1 << 15; // a real IRQ 15 nobody claimed
    sim.raise_irq(15);
    await run_idle();
    assert.equal(irq_descs()[15].unhandled, 1);
    assert.match(show_interrupts(), /^SPU:\s+2\s+Spurious interrupts$/m);
  });

  it("survives a handler that throws, and still unmasks", async () => {
    const sim = fresh_sim();
    request_irq(
      6,
      () => {
        throw new Error("driver bug");
      },
      "floppy",
    );
    sim.raise_irq(6);
    await run_idle();
    assert.match(sim.output, /Oops: IRQ 6 handler floppy threw/);
    assert.equal(sim.is_masked(6), false);
  });

  it("replaces a line's thread that the watchdog killed", async () => {
    const sim = fresh_sim();
    let calls = 0;
    request_irq(
      3,
      () => {
        if (++calls === 1) for (;;) sim.now_us(); // spins until the watchdog fires
        return IRQ_HANDLED;
      },
      "com2",
    );
    sim.raise_irq(3);
    await run_idle();
    assert.match(sim.output, /soft lockup .*\[irq\/3-com2:\d+\]/);
    assert.equal(sim.is_masked(3), false);
    sim.raise_irq(3);
    await run_idle();
    assert.equal(calls, 2);
    assert.equal(thread_list().filter((t) => t.name === "irq/3-com2").length, 1);
  });

  it("free_irq masks the line and ends its thread", async () => {
    const sim = fresh_sim();
    const handler = () => IRQ_HANDLED;
    request_irq(12, handler, "mouse");
    await run_idle();
    free_irq(12, handler);
    await run_idle();
    assert.equal(sim.is_masked(12), true);
    assert.ok(!thread_list().some((t) => t.name === "irq/12-mouse"));
    assert.throws(() => free_irq(12, handler), /no such handler/);
  });

  describe("top halves (hard-IRQ context)", () => {
    it("run at once, preempting, unmask the line, and leave the handler for the next pass", async () => {
      const sim = fresh_sim();
      const order: string[] = [];
      request_irq(11, () => (order.push("handler"), IRQ_HANDLED), "eth0", {
        threaded: false,
        top_half: () => (order.push(`top, masked ${sim.is_masked(11)}`), IRQ_WAKE_THREAD),
      });
      sim.raise_irq(11); // as if it came while some JS ran: the top half runs at that point
      assert.deepEqual(order, ["top, masked true"]);
      assert.equal(sim.is_masked(11), false, "unmasked as soon as the top half is done");
      await run_idle();
      assert.deepEqual(order, ["top, masked true", "handler"]);
      assert.equal(irq_descs()[11].preempted, 1);
      assert.equal(irq_descs()[11].count, 1);
    });

    it("that handled it all leave nothing for the pass", async () => {
      const sim = fresh_sim();
      let handler_calls = 0;
      request_irq(11, () => (handler_calls++, IRQ_HANDLED), "eth0", { threaded: false, top_half: () => IRQ_HANDLED });
      sim.raise_irq(11);
      sim.raise_irq(11);
      await run_idle();
      assert.equal(handler_calls, 0);
      assert.equal(irq_descs()[11].count, 2);
      assert.equal(irq_descs()[11].unhandled, 0);
    });

    it("wait while hard IRQs are off and run when they come back on", () => {
      const sim = fresh_sim();
      let tops = 0;
      request_irq(11, () => IRQ_HANDLED, "eth0", { threaded: false, top_half: () => (tops++, IRQ_WAKE_THREAD) });
      sim.local_irq_disable();
      sim.raise_irq(11);
      assert.equal(tops, 0, "not inside a local_irq_disable() section");
      sim.local_irq_enable();
      assert.equal(tops, 1);
    });

    it("run in the pass when the pass takes the line first (from idle)", async () => {
      const sim = fresh_sim();
      const order: string[] = [];
      request_irq(11, () => (order.push("handler"), IRQ_HANDLED), "eth0", {
        threaded: false,
        top_half: () => (order.push("top"), IRQ_WAKE_THREAD),
      });
      sim.local_irq_disable(); // so the scheduler's pass takes the line before any safe point does
      sim.raise_irq(11);
      await run_idle();
      assert.deepEqual(order, ["top", "handler"]);
      sim.local_irq_enable();
      assert.deepEqual(order, ["top", "handler"], "nothing left for the hard-IRQ entry");
      assert.equal(irq_descs()[11].preempted, 0);
    });

    it("that preempt the idle loop on its way to the halt still get their handler run at once", async () => {
      const sim = fresh_sim();
      let handled_at_us = -1;
      request_irq(11, () => ((handled_at_us = sim.now_us()), IRQ_HANDLED), "eth0", {
        threaded: false,
        top_half: () => IRQ_WAKE_THREAD,
      });
      // The idle loop marks TRACE_IDLE after its last look at the run queue
      // and before it halts: the NIC interrupts right there, once.
      set_tracing(true);
      let fired = false;
      sim.trace_mark = (stage) => {
        if (stage === TRACE_IDLE && !fired) {
          fired = true;
          sim.raise_irq(11);
        }
      };
      await sched_run_for(1_000_000);
      set_tracing(false);
      assert.ok(fired, "the idle loop went idle");
      assert.equal(handled_at_us, 0, "the handler ran before the CPU slept, not at the end of the second");
    });

    it("that throw are reported as an oops, and the line goes on working", async () => {
      const sim = fresh_sim();
      let tops = 0;
      request_irq(11, () => IRQ_HANDLED, "eth0", {
        threaded: false,
        top_half: () => {
          if (++tops === 1) throw new Error("bad register");
          return IRQ_WAKE_THREAD;
        },
      });
      sim.raise_irq(11);
      assert.match(sim.output, /Oops: IRQ 11 top half eth0 threw/);
      assert.equal(sim.is_masked(11), false);
      sim.raise_irq(11);
      assert.equal(tops, 2);
      await run_idle();
    });

    it("make the line preemptive only while one is installed", () => {
      const sim = fresh_sim();
      const handler = () => IRQ_HANDLED;
      request_irq(11, handler, "eth0", { threaded: false, top_half: () => IRQ_HANDLED });
      free_irq(11, handler);
      request_irq(11, () => IRQ_HANDLED, "other", { threaded: false });
      sim.raise_irq(11);
      assert.equal(irq_descs()[11].preempted, 0, "a plain line waits for the pass");
    });
  });
});
