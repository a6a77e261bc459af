// The network namespaces: the root one (init_net) and those `ip netns add`
// creates. A thread's sockets live in its namespace (Thread.net_ns, inherited
// from the thread that started it); `ip netns exec` switches it for one
// command, like setns(2).
import { Loopback } from "../../drivers/net/loopback";
import type { NetDevice } from "../../drivers/net/netdev";
import { Veth } from "../../drivers/net/veth";
import { ipv4 } from "../../net/wire/address";
import { pr_info } from "../log";
import { current_thread } from "../sched/sched";
import { inetd_start } from "./inetd";
import { napi_manager } from "./napi";
import { NetNamespace } from "./netns";

/** The root namespace, as Linux's init_net. */
export const init_net = new NetNamespace("init_net");
export const namespaces: NetNamespace[] = [init_net];

export function current_netns(): NetNamespace {
  return current_thread()?.net_ns ?? init_net;
}

export function find_netns(name: string): NetNamespace | undefined {
  return namespaces.find((ns) => ns.name === name);
}

export function find_device(ns: NetNamespace, name: string): NetDevice | undefined {
  return ns.devices.find((d) => d.name === name);
}

/** Every namespace gets its own lo with 127.0.0.1/8; it is DOWN until set up, as in Linux. */
export function add_loopback(ns: NetNamespace, up: boolean): Loopback {
  const lo = new Loopback();
  lo.iface.add_address(ipv4("127.0.0.1"), 8);
  ns.add_device(lo);
  lo.up = up;
  return lo;
}

/** ip netns add NAME */
export function netns_add(name: string): NetNamespace {
  if (find_netns(name)) throw new Error(`Cannot create namespace file "/var/run/netns/${name}": File exists`);
  if (!/^[A-Za-z0-9_.-]{1,32}$/.test(name)) throw new Error(`Invalid netns name "${name}"`);
  const ns = new NetNamespace(name);
  namespaces.push(ns);
  ns.start();
  add_loopback(ns, false);
  inetd_start(ns);
  return ns;
}

/**
 * ip netns del NAME: its poll thread stops, its sockets close (so the threads
 * serving them end), its veth pairs are destroyed, its loopback goes, and its
 * other devices return to init_net without their addresses.
 */
export function netns_del(ns: NetNamespace): void {
  if (ns === init_net) throw new Error("Cannot remove the initial namespace");
  for (const dev of ns.devices.slice()) {
    if (dev instanceof Veth) veth_del(dev);
    else if (dev instanceof Loopback) dev_destroy(dev);
    else dev_change_net_namespace(dev, init_net);
  }
  ns.stop();
  namespaces.splice(namespaces.indexOf(ns), 1);
  pr_info(`netns: ${ns.name} deleted`);
}

/** ip link set dev X netns Y: the device keeps its NAPI instance and deadline; its addresses go. */
export function dev_change_net_namespace(dev: NetDevice, to: NetNamespace): void {
  if (find_device(to, dev.name)) throw new Error(`RTNETLINK answers: File exists (${dev.name} in ${to.name})`);
  dev.netns.remove_device(dev);
  for (const a of dev.iface.addresses.slice()) dev.iface.remove_address(a.address);
  dev.iface.routes.clear();
  dev.iface.arp_cache.flush();
  to.add_device(dev);
}

/** ip link add A type veth peer name B: both ends start in `ns`, DOWN. */
export function veth_add(ns: NetNamespace, name: string, peer_name: string): [Veth, Veth] {
  for (const n of [name, peer_name]) if (find_device(ns, n)) throw new Error(`RTNETLINK answers: File exists (${n})`);
  if (name === peer_name) throw new Error("RTNETLINK answers: File exists");
  const [a, b] = Veth.create_pair(name, peer_name);
  ns.add_device(a);
  ns.add_device(b);
  return [a, b];
}

/** Deleting either end of a veth pair deletes both, as in Linux. */
export function veth_del(dev: Veth): void {
  const peer = dev.peer;
  dev_destroy(dev);
  if (peer) dev_destroy(peer);
}

function dev_destroy(dev: NetDevice): void {
  dev.up = false;
  dev.netns.remove_device(dev);
  napi_manager.unregister(dev.napi);
}
