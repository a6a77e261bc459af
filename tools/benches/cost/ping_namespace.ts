// What the kernel ping scenarios share (kernel_ping.ts, kernel_ping_ne2k.ts,
// kernel_ping_virtio.ts): the device in a namespace of its own, with our
// address and the peer's MAC already known; and the rounds, a request every
// INTERVAL_US while the kernel idles in between.
import type { SimHal } from "../../../kernel/hal/sim";
import { sched_run_until } from "../../../kernel/sched/sched";
import { register_netdev } from "../../../kernel/net/dev";
import type { NetDevice } from "../../../kernel/net/netdevice";
import { NetNamespace } from "../../../kernel/net/netns";
import { PEER, PEER_MAC, US } from "./frames";
import { report, rounds } from "./scenario";

/** Time between requests: the kernel idles in between. */
export const INTERVAL_US = 1000;

/** Put `dev` in a fresh namespace (its netns_poll started), at our address, the peer in its ARP cache. */
export function ping_namespace(dev: NetDevice): void {
  const ns = new NetNamespace("test");
  ns.start();
  register_netdev(dev, ns);
  dev.iface.add_address(US, 24);
  dev.iface.arp_cache.fill(0, PEER, PEER_MAC);
}

/**
 * Run the rounds once the threads have started and sleep: `deliver` puts a
 * request on the NIC, one every INTERVAL_US, each arrival a timer event of
 * the simulated machine that schedules the next, until `replies()` counts
 * one per round; then report. (The arrival's call to `deliver` is counted
 * with the round, the same in every scenario.)
 */
export function run_pings(sim: SimHal, deliver: () => void, replies: () => number): void {
  const run = async (): Promise<void> => {
    await sched_run_until(() => true);
    const n = rounds();
    let arrived = 0;
    const arrive = (): void => {
      deliver();
      if (++arrived < n) sim.at(sim.now_us() + INTERVAL_US, arrive);
    };
    sim.at(sim.now_us() + INTERVAL_US, arrive);
    await sched_run_until(() => replies() === n);
    report(`${replies()} replies`);
  };
  run().catch((error: Error) => report(`failed: ${error.message}\n${error.stack}`));
}
