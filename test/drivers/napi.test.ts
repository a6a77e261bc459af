// NAPI under the simulated machine: the state machine, net_rx_action's
// budgets, and the driver contract (mask while scheduled, re-check on unmask).
import { strict as assert } from "assert";
import { NapiStruct, napi_complete_done, napi_schedule, napi_schedule_prep, net_rx_action, softnet_data } from "../../kernel/net/napi";
import { napi_init } from "../../kernel/net/napi_handler";
import { NAPI_STATE_MISSED, NAPI_STATE_SCHED } from "../../kernel/net/napi_state";
import { register_netdev } from "../../kernel/net/dev";
import { NetNamespace } from "../../kernel/net/netns";
import { hal } from "../../kernel/hal/current";
import { sched_run_until } from "../../kernel/sched/sched";
import { FakeNic } from "../kernel/fake_nic";
import { fresh_sim } from "../kernel/helpers";

/**
 * The net core's FakeNic, driven by hand as these tests need: junk frames
 * arrive without an interrupt, the test raises it, and a hook may run inside
 * irq_enable().
 */
class HandDrivenNic extends FakeNic {
  /** Runs inside irq_enable(): a frame arriving in the window before the re-check. */
  on_enable: (() => void) | null = null;

  protected irq_enable(): void {
    super.irq_enable();
    this.on_enable?.();
    this.on_enable = null;
  }
  /** The hardware raised its interrupt (only possible while enabled). */
  interrupt(): void {
    if (this.irq_enabled) this.rx_interrupt();
  }
  /** Junk frames, queued without an interrupt: the stack drops each one, which still counts as work. */
  junk(count: number): void {
    for (let i = 0; i < count; i++) this.ring.push(new Uint8Array(20));
  }
}

function setup(...names: string[]): HandDrivenNic[] {
  fresh_sim();
  softnet_data.reset();
  napi_init();
  const ns = new NetNamespace("test");
  return names.map((name) => {
    const nic = new HandDrivenNic(name);
    register_netdev(nic, ns);
    nic.up = true;
    return nic;
  });
}

describe("NAPI", () => {
  it("a schedule while scheduled is remembered (MISSED) and re-lists on complete", () => {
    setup();
    // A driver's poll that finds nothing and completes, as the contract asks.
    const napi = new NapiStruct("x", (n) => {
      napi_complete_done(n, 0);
      return 0;
    });
    assert.equal(napi_schedule_prep(napi), true);
    assert.equal(napi_schedule_prep(napi), false);
    assert.ok(napi.state & NAPI_STATE_MISSED);
    // The poller completes: the missed schedule puts it straight back.
    assert.equal(napi_complete_done(napi, 0), false);
    assert.ok(napi.state & NAPI_STATE_SCHED);
    assert.equal(napi.state & NAPI_STATE_MISSED, 0);
    assert.ok(softnet_data.has_work());
    net_rx_action();
    assert.equal(napi.state, 0);
  });

  it("masks the device while scheduled and unmasks when the poll is done", async () => {
    const [nic] = setup("eth0");
    nic.junk(3);
    nic.interrupt();
    assert.equal(nic.irq_enabled, false);
    assert.ok(await sched_run_until(() => nic.ring.length === 0 && nic.irq_enabled));
    assert.equal(nic.napi.work_done, 3);
    assert.equal(nic.napi.state, 0);
  });

  it("never strands a frame that arrives just before the unmask", async () => {
    const [nic] = setup("eth0");
    nic.junk(1);
    nic.on_enable = () => nic.junk(1); // no interrupt is raised for it: it was masked
    nic.interrupt();
    assert.ok(await sched_run_until(() => nic.ring.length === 0 && nic.irq_enabled && nic.napi.state === 0));
    assert.equal(nic.napi.work_done, 2);
  });

  it("bounds a round by the packet budget, counts time_squeeze, and polls each instance once per round", async () => {
    const nics = setup("eth0", "eth1", "eth2", "eth3", "eth4", "eth5");
    for (const nic of nics) {
      nic.junk(1000);
      nic.interrupt();
    }
    net_rx_action();
    const s = softnet_data.stat;
    // 300 packets at weight 64: five polls (320 > 300) and the round ends, eth5 not reached.
    assert.equal(s.processed, 320);
    assert.equal(s.time_squeeze, 1);
    assert.deepEqual(
      nics.map((nic) => nic.napi.polls),
      [1, 1, 1, 1, 1, 0],
    );
    assert.equal(nics[0].napi.budget_exhausted, 1);
    assert.ok(await sched_run_until(() => nics.every((nic) => nic.ring.length === 0)));
    assert.ok(nics.every((nic) => nic.irq_enabled));
  });

  it("puts an instance that used its whole weight behind work scheduled during the round (Linux's repoll list)", () => {
    const [a, b, c] = setup("eth0", "eth1", "eth2");
    const order: string[] = [];
    for (const nic of [a, b, c]) {
      const poll = nic.napi.poll;
      (nic.napi as { poll: typeof poll }).poll = (napi, budget, now_us) => {
        order.push(nic.name);
        return poll(napi, budget, now_us);
      };
    }
    a.junk(200);
    b.junk(200);
    a.interrupt();
    b.interrupt();
    // c's interrupt comes while a is being polled: new work, scheduled mid-round.
    const a_poll = a.napi.poll;
    (a.napi as { poll: typeof a_poll }).poll = (napi, budget, now_us) => {
      if (c.ring.length === 0 && c.napi.polls === 0) {
        c.junk(1);
        c.interrupt();
      }
      return a_poll(napi, budget, now_us);
    };
    net_rx_action();
    assert.deepEqual(order, ["eth0", "eth1"], "the round polls what was listed when it began, once each");
    net_rx_action();
    assert.deepEqual(order, ["eth0", "eth1", "eth2", "eth0", "eth1"], "then the new work, then the repoll list");
  });

  it("bounds a round by time", () => {
    const [a, b, c] = setup("eth0", "eth1", "eth2");
    const sim = hal as unknown as { advance(us: number): void };
    for (const nic of [a, b, c]) nic.junk(64 * 3);
    const poll = a.napi.poll;
    (a.napi as { poll: typeof poll }).poll = (napi, budget, now_us) => {
      sim.advance(2500); // a slow poll: 2.5 ms of CPU, more than the round's 2 ms
      return poll(napi, budget, now_us);
    };
    a.interrupt();
    b.interrupt();
    c.interrupt();
    net_rx_action();
    // a alone used up the round's time: squeezed with b and c not yet polled.
    assert.equal(softnet_data.stat.time_squeeze, 1);
    assert.equal(softnet_data.stat.processed, 64);
    assert.equal(b.napi.polls + c.napi.polls, 0);
  });

  it("napi_schedule returns whether it listed the instance", () => {
    setup();
    const napi = new NapiStruct("y", () => 0);
    assert.equal(napi_schedule(napi), true);
    assert.equal(napi_schedule(napi), false);
    net_rx_action();
  });

  it("a round that dies in a poll loses no instance: the one it was in and the ones after it are polled by the next", () => {
    setup();
    const polled: string[] = [];
    let die = true;
    const make = (name: string) =>
      new NapiStruct(name, (n) => {
        polled.push(name);
        if (name === "a" && die) {
          die = false;
          throw new Error("interrupted"); // the watchdog's interrupt: nothing may catch it
        }
        napi_complete_done(n, 0);
        return 0;
      });
    const a = make("a"),
      b = make("b"),
      c = make("c");
    for (const napi of [a, b, c]) assert.equal(napi_schedule(napi), true);
    assert.throws(() => net_rx_action(), /interrupted/);
    assert.deepEqual(polled, ["a"]);
    // The next round: b and c, which the dead one never reached, and a again.
    net_rx_action();
    assert.deepEqual(polled.slice(1).sort(), ["a", "b", "c"]);
    for (const napi of [a, b, c]) assert.equal(napi.state, 0);
    assert.ok(!softnet_data.has_work());
  });
});
