// netns_poll under a fake clock: it wakes at the earliest published deadline
// and hands due devices to NAPI; no publish is ever lost, however it falls
// against the poller's own steps (DragonOS bug #2162 was one that was).
import { strict as assert } from "assert";
import { NetDevice } from "../../kernel/net/netdevice";
import { Veth } from "../../kernel/net/veth";
import type { Frame } from "../../net/iface/device";
import { TcpSocket, TcpState } from "../../net/socket/tcp";
import { ipv4 } from "../../net/wire/address";
import { hal } from "../../kernel/hal/current";
import { softnet_data } from "../../kernel/net/napi";
import { napi_init } from "../../kernel/net/napi_handler";
import { register_netdev } from "../../kernel/net/dev";
import { NetNamespace } from "../../kernel/net/netns";
import { sched_run_until, sched_run_for } from "../../kernel/sched/sched";
import { add_timer, timer_setup } from "../../kernel/time/timer";
import { fresh_sim } from "./helpers";

/** A device with no traffic: it only records when NAPI polled it. */
class Idle extends NetDevice {
  polled_at: number[] = [];
  constructor(name: string) {
    super(name, 0x020000000010, { max_transmission_unit: 1514, max_burst_size: 1, checksum_rx_offload: false, checksum_tx_offload: false });
  }
  receive(): Frame | null {
    this.polled_at.push(hal.now_us());
    return null;
  }
  transmit(): Frame | null {
    return null;
  }
  transmit_commit(): void {}
  protected irq_disable(): void {}
  protected irq_enable(): void {}
  protected rx_pending(): boolean {
    return false;
  }
  protected flush_rx(): void {}
  /** What the stack does after a poll: publish the next deadline. */
  publish(at_us: number | null): void {
    if (this.poll_deadline.publish(at_us)) this.netns.deadline_changed();
  }
}

function setup(...names: string[]): { ns: NetNamespace; devs: Idle[] } {
  fresh_sim();
  softnet_data.reset();
  napi_init();
  const ns = new NetNamespace("t");
  ns.start();
  const devs = names.map((name) => {
    const dev = new Idle(name);
    register_netdev(dev, ns);
    dev.up = true;
    return dev;
  });
  return { ns, devs };
}

/** Run `fn` at simulated time `at_us`, from a timer (outside any poller). */
function at(at_us: number, fn: () => void): void {
  const timer = timer_setup(fn);
  timer.expires = at_us;
  add_timer(timer);
}

describe("netns_poll", () => {
  it("sleeps until the earliest deadline, then schedules that device's NAPI", async () => {
    const { ns, devs } = setup("a", "b");
    await sched_run_for(1000);
    const t0 = hal.now_us();
    devs[0].publish(t0 + 50_000);
    devs[1].publish(t0 + 20_000);
    assert.ok(await sched_run_until(() => devs[1].polled_at.length > 0, 1e6));
    assert.equal(devs[1].polled_at[0], t0 + 20_000);
    assert.equal(devs[0].polled_at.length, 0, "a is not due yet");
    assert.ok(await sched_run_until(() => devs[0].polled_at.length > 0, 1e6));
    assert.equal(devs[0].polled_at[0], t0 + 50_000);
    assert.equal(ns.lateness.summary().max_us, 0);
    assert.equal(ns.wakeups, 2);
  });

  it("wakes early for a deadline published while it sleeps for a later one", async () => {
    const { devs } = setup("a", "b");
    await sched_run_for(1000);
    const t0 = hal.now_us();
    devs[0].publish(t0 + 100_000);
    at(t0 + 10_000, () => devs[1].publish(t0 + 20_000));
    assert.ok(await sched_run_until(() => devs[1].polled_at.length > 0, 1e6));
    assert.equal(devs[1].polled_at[0], t0 + 20_000);
  });

  it("does not lose a deadline published between reading the deadlines and going to sleep", async () => {
    const { ns, devs } = setup("a", "b");
    await sched_run_for(1000);
    const t0 = hal.now_us();
    // The poller reads a's deadline, then b's; at the moment it reads b's, a
    // publishes an earlier one (as an IRQ on another CPU would): too late for
    // the scan, and reading b is the last thing the poller does before it sleeps.
    devs[0].poll_deadline.publish(t0 + 100_000);
    let raced = false;
    let b_deadline: number | null = t0 + 80_000;
    Object.defineProperty(devs[1].poll_deadline, "poll_at_us", {
      get: () => {
        if (!raced && hal.now_us() === t0) {
          raced = true;
          devs[0].publish(t0 + 5_000);
        }
        return b_deadline;
      },
      set: (v: number | null) => {
        b_deadline = v;
      },
    });
    ns.kick();
    assert.ok(await sched_run_until(() => devs[0].polled_at.length > 0, 1e6));
    assert.ok(raced);
    assert.equal(devs[0].polled_at[0], t0 + 5_000, "a's new deadline must not wait for b's");
  });

  it("handles a deadline that is already due at once, without parking it", async () => {
    const { devs } = setup("a");
    await sched_run_for(1000);
    const t0 = hal.now_us();
    devs[0].publish(t0 - 1);
    assert.ok(await sched_run_until(() => devs[0].polled_at.length > 0, 1e6));
    assert.equal(devs[0].polled_at[0], t0);
  });

  it("counts a wakeup that finds nothing due", async () => {
    const { ns, devs } = setup("a");
    await sched_run_for(1000);
    const t0 = hal.now_us();
    devs[0].publish(t0 + 10_000);
    // Moved later (a poll came first and found more time): the thread is not
    // woken for that, so its timer fires and finds nothing due.
    at(t0 + 5_000, () => devs[0].publish(t0 + 50_000));
    await sched_run_for(20_000);
    assert.equal(ns.idle_wakeups, 1);
    assert.equal(devs[0].polled_at.length, 0);
  });

  it("stops its thread when the namespace goes", async () => {
    const { ns } = setup("a");
    await sched_run_for(1000);
    assert.ok(ns.poll_thread());
    ns.stop();
    await sched_run_for(1000);
    assert.equal(ns.poll_thread(), null);
  });

  it("fires a TCP retransmission at its RTO when the peer in another namespace goes silent", async () => {
    fresh_sim();
    softnet_data.reset();
    napi_init();
    const red = new NetNamespace("red");
    const blue = new NetNamespace("blue");
    red.start();
    blue.start();
    const [a, b] = Veth.create_pair("veth-red", "veth-blue");
    register_netdev(a, red);
    register_netdev(b, blue);
    a.iface.add_address(ipv4("10.20.0.1"), 24);
    b.iface.add_address(ipv4("10.20.0.2"), 24);
    a.up = b.up = true;
    const listener = blue.sockets.add_tcp(new TcpSocket());
    listener.listen(9000, 1);
    const client = red.sockets.add_tcp(new TcpSocket());
    a.iface.tcp_connect(hal.now_us(), client, ipv4("10.20.0.2"), 9000, 40000);
    red.request_poll();
    assert.ok(await sched_run_until(() => client.state === TcpState.Established, 10e6));

    // Record when red's end puts a frame on the wire.
    const sent_at: number[] = [];
    const commit = a.transmit_commit.bind(a);
    a.transmit_commit = (now_us: number) => {
      sent_at.push(hal.now_us());
      commit(now_us);
    };
    b.up = false; // the peer goes silent: what reaches it is dropped
    client.send_slice(new Uint8Array(100).fill(7));
    red.request_poll();
    const rto = (client as unknown as { rtt: { rto: number } }).rtt.rto;
    assert.ok(await sched_run_until(() => sent_at.length >= 2, 60e6));
    const [first, retransmission] = sent_at;
    assert.equal(retransmission - first, rto, `retransmitted ${retransmission - first} us after the send; RTO ${rto} us`);
    assert.equal(red.lateness.summary().max_us, 0);
  });
});
