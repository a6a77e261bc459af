// What the kernel ping scenarios share (kernel_ping.ts, kernel_ping_ne2k.ts,
// kernel_ping_virtio.ts): the device in a namespace of its own, with our
// address and the peer's MAC already known; and the time between requests.
// (Each writes its rounds out itself: a call more per round would be counted
// as the kernel's.)
import { register_netdev } from "../../../kernel/net/dev";
import type { NetDevice } from "../../../kernel/net/netdevice";
import { NetNamespace } from "../../../kernel/net/netns";
import { PEER, PEER_MAC, US } from "./frames";

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
