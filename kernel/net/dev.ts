// A device's life in the net core, as Linux's net/core/dev.c: registering it
// in a namespace (which links its NAPI instance in), unregistering it, and
// moving it to another namespace. Drivers build a NetDevice; nothing is
// registered until its probe has succeeded and it calls register_netdev().
import { napi_disable } from "./napi";
import type { NetDevice } from "./netdevice";
import type { NetNamespace } from "./netns";

/** Make `dev` part of `ns`: its stack serves the namespace's sockets from now on. */
export function register_netdev(dev: NetDevice, ns: NetNamespace): void {
  ns.add_device(dev);
}

/** Take `dev` out of `ns` for good: down, NAPI disabled, gone from the namespace. */
export function unregister_netdev(dev: NetDevice, ns: NetNamespace): void {
  dev.up = false;
  napi_disable(dev.napi);
  ns.remove_device(dev);
}

/**
 * ip link set dev X netns Y: the device keeps its NAPI instance; its
 * addresses, routes and neighbours stay behind, as in Linux.
 */
export function dev_change_net_namespace(dev: NetDevice, from: NetNamespace, to: NetNamespace): void {
  if (to.devices.some((d) => d.name === dev.name)) throw new Error(`RTNETLINK answers: File exists (${dev.name} in ${to.name})`);
  from.remove_device(dev);
  for (const a of dev.iface.addresses.slice()) dev.iface.remove_address(a.address);
  dev.iface.routes.clear();
  dev.iface.arp_cache.flush();
  to.add_device(dev);
}
