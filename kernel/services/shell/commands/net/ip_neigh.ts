// ip neigh (and arp): the neighbour caches of the namespace's devices.
import { hal } from "../../../../hal/current";
import { ipv4_to_string, mac_to_string } from "../../../../../net/wire/address";
import type { NetNamespace } from "../../../../net/netns";
import type { ShellContext } from "../../command";

export function ip_neigh(ctx: ShellContext, ns: NetNamespace): void {
  const now = hal.now_us();
  for (const dev of ns.devices) {
    for (const entry of dev.iface.arp_cache.entries(now)) {
      ctx.println(`${ipv4_to_string(entry.ip)} dev ${dev.name} lladdr ${mac_to_string(entry.mac)} ${entry.state}`);
    }
  }
}
