// The network namespaces: the root one (init_net) and those `ip netns add`
// creates, and what every namespace gets (pernet operations). A thread's
// sockets live in its namespace (nsproxy.net_ns, inherited from the thread
// that started it); `ip netns exec` switches it for one command, like setns(2).
import { ipv4 } from "../../net/wire/address";
import { pr_info } from "../log";
import { current_thread } from "../sched/sched";
import { dev_change_net_namespace, register_netdev, unregister_netdev } from "./dev";
import { Loopback } from "./loopback";
import type { NetDevice } from "./netdevice";
import { NetNamespace, setns } from "./netns";

export { setns };
import { Veth } from "./veth";

/** The root namespace, as Linux's init_net. */
export const init_net = new NetNamespace("init_net");
/** Every namespace, init_net first. */
export const namespaces: NetNamespace[] = [init_net];

/**
 * What each namespace gets when it is created and gives back when it is
 * deleted (Linux's pernet_operations): the core gives each a loopback
 * device, inetd gives each its listeners.
 */
export interface PernetOperations {
  name: string;
  init(ns: NetNamespace): void;
  exit?(ns: NetNamespace): void;
}

const pernet_list: PernetOperations[] = [];

/** Register `ops`: init runs now for every namespace there is, and later for each new one. */
export function register_pernet_operations(ops: PernetOperations): void {
  pernet_list.push(ops);
  for (const ns of namespaces) ops.init(ns);
}

/** The namespace of the running thread (init_net outside any thread). */
export function current_netns(): NetNamespace {
  return current_thread()?.nsproxy.net_ns ?? init_net;
}

/** The namespace called `name`, if any. */
export function find_netns(name: string): NetNamespace | undefined {
  return namespaces.find((ns) => ns.name === name);
}

/** The device called `name` in `ns`, if any. */
export function find_device(ns: NetNamespace, name: string): NetDevice | undefined {
  return ns.devices.find((d) => d.name === name);
}

/** The namespace `dev` is in (Linux's dev_net). */
export function dev_net(dev: NetDevice): NetNamespace {
  const ns = namespaces.find((n) => n.devices.includes(dev));
  if (!ns) throw new Error(`${dev.name} is in no namespace`);
  return ns;
}

/** Every namespace gets its own lo with 127.0.0.1/8, DOWN until set up, as in Linux. */
export const loopback_net_ops: PernetOperations = {
  name: "loopback",
  init(ns) {
    const lo = new Loopback();
    lo.iface.add_address(ipv4("127.0.0.1"), 8);
    register_netdev(lo, ns);
  },
};

/** ip netns add NAME */
export function netns_add(name: string): NetNamespace {
  if (find_netns(name)) throw new Error(`Cannot create namespace file "/var/run/netns/${name}": File exists`);
  if (!/^[A-Za-z0-9_.-]{1,32}$/.test(name)) throw new Error(`Invalid netns name "${name}"`);
  const ns = new NetNamespace(name);
  namespaces.push(ns);
  ns.start();
  for (const ops of pernet_list) ops.init(ns);
  return ns;
}

/**
 * ip netns del NAME: what pernet operations gave it is taken back, its
 * sockets close (so the threads serving them end), its veth pairs are
 * destroyed, its loopback goes, and its other devices return to init_net
 * without their addresses.
 */
export function netns_del(ns: NetNamespace): void {
  if (ns === init_net) throw new Error("Cannot remove the initial namespace");
  for (const ops of pernet_list.slice().reverse()) ops.exit?.(ns);
  ns.stop();
  for (const dev of ns.devices.slice()) {
    if (!ns.devices.includes(dev)) continue; // the peer of a veth already deleted
    if (dev instanceof Veth) veth_del(dev);
    else if (dev instanceof Loopback) unregister_netdev(dev, ns);
    else dev_change_net_namespace(dev, ns, init_net, true);
  }
  namespaces.splice(namespaces.indexOf(ns), 1);
  pr_info(`netns: ${ns.name} deleted`);
}

/** ip link add A type veth peer name B: both ends start in `ns`, DOWN. */
export function veth_add(ns: NetNamespace, name: string, peer_name: string): [Veth, Veth] {
  for (const n of [name, peer_name]) if (find_device(ns, n)) throw new Error(`RTNETLINK answers: File exists (${n})`);
  if (name === peer_name) throw new Error("RTNETLINK answers: File exists");
  const [a, b] = Veth.create_pair(name, peer_name);
  register_netdev(a, ns);
  register_netdev(b, ns);
  return [a, b];
}

/**
 * Deleting either end of a veth pair deletes both, as in Linux. What one end
 * already sent is delivered to the other first: when a namespace goes, the
 * RSTs of its connections reach their peers across the pair.
 */
export function veth_del(dev: Veth): void {
  const peer = dev.peer;
  unregister_netdev(dev, dev_net(dev));
  if (!peer) return;
  peer.deliver_backlog();
  unregister_netdev(peer, dev_net(peer));
}
