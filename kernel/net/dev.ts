// A device's life in the net core, as Linux's net/core/dev.c: registering it
// in a namespace, bringing it up and down, moving it to another namespace,
// and unregistering it, with a notifier chain for those who must follow
// (the DHCP client follows its device). Drivers build a NetDevice; nothing
// is registered until its probe has succeeded and it calls register_netdev().
import { pr_info } from "../log";
import { napi_disable, napi_enable } from "./napi";
import type { NetDevice } from "./netdevice";
import type { NetNamespace } from "./netns";

/** What happened to a device, for netdevice notifiers. */
export type NetdevEvent = "up" | "down" | "change_netns" | "unregister";

/** Told of every device event (Linux's register_netdevice_notifier). */
export type NetdevNotifier = (event: NetdevEvent, dev: NetDevice) => void;

const notifiers: NetdevNotifier[] = [];

/** Be told of device events from now on. */
export function register_netdevice_notifier(notifier: NetdevNotifier): void {
  notifiers.push(notifier);
}

/** Stop being told. */
export function unregister_netdevice_notifier(notifier: NetdevNotifier): void {
  const i = notifiers.indexOf(notifier);
  if (i >= 0) notifiers.splice(i, 1);
}

function call_netdevice_notifiers(event: NetdevEvent, dev: NetDevice): void {
  for (const notifier of notifiers.slice()) notifier(event, dev);
}

/** Make `dev` part of `ns`: its stack serves the namespace's sockets from now on. */
export function register_netdev(dev: NetDevice, ns: NetNamespace): void {
  ns.add_device(dev);
}

/**
 * ip link set dev X up: the hardware's queues start empty, its interrupts
 * are unmasked, NAPI may be scheduled again, the FIB routes through it, and
 * the stack gets a poll for whatever output waited.
 */
export function dev_open(dev: NetDevice, ns: NetNamespace): void {
  if (dev.up) return;
  dev.up = true;
  dev.open();
  napi_enable(dev.napi);
  call_netdevice_notifiers("up", dev);
  ns.request_poll();
}

/**
 * ip link set dev X down, as Linux's dev_close: NAPI is disabled (it is off
 * the poll list when this returns), the device's interrupts are masked and
 * its queues flushed, and the FIB no longer routes through it, so nothing
 * is received, answered or sent until it is up again.
 */
export function dev_close(dev: NetDevice, ns: NetNamespace): void {
  if (!dev.up) return;
  napi_disable(dev.napi);
  dev.stop();
  dev.up = false;
  call_netdevice_notifiers("down", dev);
  ns.kick();
}

/** Take `dev` out of `ns` for good: down, then gone from the namespace. */
export function unregister_netdev(dev: NetDevice, ns: NetNamespace): void {
  dev_close(dev, ns);
  napi_disable(dev.napi);
  ns.remove_device(dev);
  call_netdevice_notifiers("unregister", dev);
}

/**
 * ip link set dev X netns Y, as in Linux: the device goes down (so frames it
 * had queued are flushed, not delivered to the new namespace's sockets), its
 * addresses, routes and neighbours stay behind, and it arrives DOWN. A name
 * already taken there is refused, unless `rename` allows the first free
 * devN (Linux does that when a deleted namespace returns its devices).
 */
export function dev_change_net_namespace(dev: NetDevice, from: NetNamespace, to: NetNamespace, rename = false): void {
  const taken = (name: string) => to.devices.some((d) => d.name === name);
  if (taken(dev.name)) {
    if (!rename) throw new Error(`RTNETLINK answers: File exists (${dev.name} in ${to.name})`);
    let n = 0;
    while (taken(`dev${n}`)) n++;
    pr_info(`${dev.name}: renamed to dev${n}: ${to.name} has a ${dev.name}`);
    dev.rename(`dev${n}`);
  }
  dev_close(dev, from);
  from.remove_device(dev);
  for (const a of dev.iface.addresses.slice()) dev.iface.remove_address(a.address);
  dev.iface.arp_cache.flush();
  to.add_device(dev);
  call_netdevice_notifiers("change_netns", dev);
}
