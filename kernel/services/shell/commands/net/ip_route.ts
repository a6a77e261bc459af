// ip route: show, add, del (connected routes come with addresses).
import { ipv4_to_string } from "../../../../../net/wire/address";
import type { NetNamespace } from "../../../../net/netns";
import { ShellContext, UsageError } from "../../command";
import { device_named, ip_error, option, parse_address, parse_cidr } from "./ip_args";

export function ip_route(ctx: ShellContext, ns: NetNamespace, args: string[]): void {
  const command = args[0] ?? "show";
  if (command === "show" || command === "list") {
    for (const dev of ns.devices) {
      for (const r of dev.iface.routes.list()) {
        const dst = r.prefix_len === 0 ? "default" : `${ipv4_to_string(r.network)}/${r.prefix_len}`;
        ctx.println(r.gateway ? `${dst} via ${ipv4_to_string(r.gateway)} dev ${dev.name}` : `${dst} dev ${dev.name} scope link`);
      }
    }
    return;
  }
  if (command !== "add" && command !== "del" && command !== "delete") throw new UsageError();
  const target = args[1] ?? ip_error("Error: destination is expected.");
  const cidr = target === "default" ? { address: 0, prefix_len: 0 } : parse_cidr(target);
  const via = option(args, "via");
  const gateway = via === undefined ? 0 : parse_address(via);
  const dev_name = option(args, "dev");
  // Without "dev", the device is the one whose connected route reaches the gateway.
  const dev = dev_name !== undefined ? device_named(ns, dev_name) : ns.devices.find((d) => gateway !== 0 && d.iface.routes.next_hop(gateway) === gateway);
  if (!dev) ip_error("Error: Nexthop has invalid gateway.");
  if (command === "add") dev.iface.routes.add(cidr.address, cidr.prefix_len, gateway);
  else dev.iface.routes.remove(cidr.address, cidr.prefix_len);
}
