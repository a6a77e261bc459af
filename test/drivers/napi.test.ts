// NAPI under the simulated machine: the state machine, net_rx_action's
// budgets, and the driver contract (mask while scheduled, re-check on unmask).
import { strict as assert } from "assert";
import { NapiStruct, napi_complete_done, napi_schedule, napi_schedule_prep, net_rx_action, softnet_data } from "../../kernel/net/napi";
import { napi_init } from "../../kernel/net/napi_handler";
import { NAPI_STATE_MISSED, NAPI_STATE_SCHED } from "../../kernel/net/napi_state";
import { register_netdev } from "../../kernel/net/dev";
import { NetDevice } from "../../kernel/net/netdevice";
import { NetNamespace } from "../../kernel/net/netns";
import type { Frame } from "../../net/iface/device";
import { hal } from "../../kernel/hal/current";
import { sched_run_until } from "../../kernel/sched/sched";
import { fresh_sim } from "../kernel/helpers";

/** A NIC whose "hardware" is an array of frames; it records how it was driven. */
class FakeNic extends NetDevice {
  readonly ring: Uint8Array[] = [];
  irq_enabled = true;
  /** Runs inside irq_enable(): a frame arriving in the window before the re-check. */
  on_enable: (() => void) | null = null;
  private readonly frame: Frame = { buffer: new Uint8Array(0), offset: 0, length: 0 };

  constructor(name: string) {
    super(name, 0x020000000001, { max_transmission_unit: 1514, max_burst_size: 8, checksum_rx_offload: false, checksum_tx_offload: false });
  }
  receive(): Frame | null {
    const next = this.ring.shift();
    if (!next) return null;
    this.frame.buffer = next;
    this.frame.length = next.length;
    return this.frame;
  }
  transmit(): Frame | null {
    return null;
  }
  transmit_commit(): void {}
  protected irq_disable(): void {
    this.irq_enabled = false;
  }
  protected irq_enable(): void {
    this.irq_enabled = true;
    this.on_enable?.();
    this.on_enable = null;
  }
  protected rx_pending(): boolean {
    return this.ring.length > 0;
  }
  /** The hardware raised its interrupt (only possible while enabled). */
  interrupt(): void {
    if (this.irq_enabled) this.rx_interrupt();
  }
  /** Junk frames: the stack drops each one, which still counts as work. */
  arrive(count: number): void {
    for (let i = 0; i < count; i++) this.ring.push(new Uint8Array(20));
  }
}

function setup(...names: string[]): FakeNic[] {
  fresh_sim();
  softnet_data.reset();
  napi_init();
  const ns = new NetNamespace("test");
  return names.map((name) => {
    const nic = new FakeNic(name);
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
    nic.arrive(3);
    nic.interrupt();
    assert.equal(nic.irq_enabled, false);
    assert.ok(await sched_run_until(() => nic.ring.length === 0 && nic.irq_enabled));
    assert.equal(nic.napi.work_done, 3);
    assert.equal(nic.napi.state, 0);
  });

  it("never strands a frame that arrives just before the unmask", async () => {
    const [nic] = setup("eth0");
    nic.arrive(1);
    nic.on_enable = () => nic.arrive(1); // no interrupt is raised for it: it was masked
    nic.interrupt();
    assert.ok(await sched_run_until(() => nic.ring.length === 0 && nic.irq_enabled && nic.napi.state === 0));
    assert.equal(nic.napi.work_done, 2);
  });

  it("bounds a round by the packet budget, counts time_squeeze and round-robins", async () => {
    const [a, b] = setup("eth0", "eth1");
    a.arrive(1000);
    b.arrive(1000);
    a.interrupt();
    b.interrupt();
    net_rx_action();
    const s = softnet_data.stat;
    // 300 packets at weight 64: a, b, a, b, a (320 > 300) and the round ends.
    assert.equal(s.processed, 320);
    assert.equal(s.time_squeeze, 1);
    assert.equal(a.napi.polls, 3);
    assert.equal(b.napi.polls, 2);
    assert.equal(a.napi.budget_exhausted, 3);
    assert.ok(await sched_run_until(() => a.ring.length === 0 && b.ring.length === 0));
    assert.equal(a.irq_enabled && b.irq_enabled, true);
  });

  it("bounds a round by time", () => {
    const [a, b] = setup("eth0", "eth1");
    const sim = hal as unknown as { advance(us: number): void };
    a.arrive(64 * 3);
    b.arrive(64 * 3);
    const poll = a.napi.poll;
    (a.napi as { poll: typeof poll }).poll = (napi, budget) => {
      sim.advance(1500); // a slow poll: 1.5 ms of CPU
      return poll(napi, budget);
    };
    a.interrupt();
    b.interrupt();
    net_rx_action();
    // a (1.5 ms), b, a (3 ms > 2 ms budget): squeezed with work left.
    assert.equal(softnet_data.stat.time_squeeze, 1);
    assert.equal(softnet_data.stat.processed, 64 * 3);
  });

  it("napi_schedule returns whether it listed the instance", () => {
    setup();
    const napi = new NapiStruct("y", () => 0);
    assert.equal(napi_schedule(napi), true);
    assert.equal(napi_schedule(napi), false);
    net_rx_action();
  });
});
