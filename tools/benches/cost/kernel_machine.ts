// What the whole-kernel scenarios share (kernel_ping*.ts, kernel_udp_rx.ts,
// kernel_tcp_rx.ts): a NIC with an interrupt line of its own on the
// simulated machine; the device in a namespace at our address, the peer's
// MAC already known, with or without inetd's services; and the rounds, a
// packet every INTERVAL_US while the kernel idles in between.
import type { SimHal } from "../../../kernel/hal/sim";
import { request_irq, IRQ_HANDLED, IRQ_NONE } from "../../../kernel/irq/irq";
import { register_netdev } from "../../../kernel/net/dev";
import { netns_add } from "../../../kernel/net/namespaces";
import { softnet_data } from "../../../kernel/net/napi";
import { napi_init } from "../../../kernel/net/napi_handler";
import type { NetDevice } from "../../../kernel/net/netdevice";
import { NetNamespace } from "../../../kernel/net/netns";
import { sched_run_until } from "../../../kernel/sched/sched";
import { inetd_init } from "../../../kernel/services/inetd";
import { FakeNic } from "../../../test/kernel/fake_nic";
import { fresh_sim } from "../../../test/kernel/helpers";
import { OUR_MAC, PEER, PEER_MAC, US } from "./frames";
import { report, rounds } from "./scenario";

/** Time between rounds: the kernel idles in between. */
export const INTERVAL_US = 1000;

/** The NIC's interrupt line. */
export const IRQ = 11;

/** FakeNic with an interrupt line: a frame that arrives raises it, and the handler schedules NAPI, as a driver's does. */
export class InterruptingNic extends FakeNic {
  /** Frames sent: counted, not kept (what the stack wrote is the stack's business here). */
  frames_sent = 0;

  constructor() {
    super("eth0", OUR_MAC);
    request_irq(IRQ, () => this.interrupt(), "eth0", { threaded: false });
  }

  private interrupt(): typeof IRQ_HANDLED | typeof IRQ_NONE {
    if (this.ring.length === 0) return IRQ_NONE;
    this.rx_interrupt();
    return IRQ_HANDLED;
  }

  transmit_commit(): void {
    this.frames_sent++;
  }
}

/** Put `dev` in a fresh namespace (its netns_poll started), at our address, the peer in its ARP cache. */
export function ping_namespace(dev: NetDevice): void {
  const ns = new NetNamespace("test");
  ns.start();
  register_netdev(dev, ns);
  place(dev);
}

/**
 * A fresh simulated machine with NAPI and inetd's services, and the device
 * `make_dev()` makes (after the machine: its IRQ line is the machine's) in
 * namespace "test", where inetd serves, at our address, the peer in its
 * ARP cache.
 */
export function discard_machine<D extends NetDevice>(make_dev: () => D): { sim: SimHal; ns: NetNamespace; dev: D } {
  const sim = fresh_sim();
  softnet_data.reset();
  napi_init();
  inetd_init();
  const ns = netns_add("test");
  const dev = make_dev();
  register_netdev(dev, ns);
  place(dev);
  return { sim, ns, dev };
}

/** Our address on `dev`, and the peer's MAC in its ARP cache (no ARP in the rounds). */
function place(dev: NetDevice): void {
  dev.iface.add_address(US, 24);
  dev.iface.arp_cache.fill(0, PEER, PEER_MAC);
}

/**
 * Run the rounds once the threads have started and sleep: `deliver` puts a
 * packet on the NIC, one every INTERVAL_US, each arrival a timer event of
 * the simulated machine that schedules the next, until `handled()` counts
 * one per round; then report that count as `unit`. (The arrival's call to
 * `deliver` is counted with the round, the same in every scenario.)
 */
export function run_rounds(sim: SimHal, deliver: () => void, handled: () => number, unit: string): void {
  const run = async (): Promise<void> => {
    await sched_run_until(() => true);
    const n = rounds();
    let arrived = 0;
    const arrive = (): void => {
      deliver();
      if (++arrived < n) sim.at(sim.now_us() + INTERVAL_US, arrive);
    };
    sim.at(sim.now_us() + INTERVAL_US, arrive);
    await sched_run_until(() => handled() === n);
    report(`${handled()} ${unit}`);
  };
  run().catch((error: Error) => report(`failed: ${error.message}\n${error.stack}`));
}
