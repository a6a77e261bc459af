// ip route: show, get, add, del. The namespace has one FIB (net/iface/fib.ts):
// connected routes come with addresses, the rest are added here or by DHCP.
import type { Route } from "../../../../../net/iface/fib";
import type { Interface } from "../../../../../net/iface/interface";
import { ipv4_to_string } from "../../../../../net/wire/address";
import type { NetNamespace } from "../../../../net/netns";
import { ShellContext, UsageError } from "../../command";
import { device_named, ip_error, option, parse_address, parse_cidr } from "./ip_args";

function dev_name(ns: NetNamespace, iface: Interface): string {
  return ns.devices.find((d) => d.iface === iface)?.name ?? `if${iface.ifindex}`;
}

/** One line of `ip route`, as iproute2 prints it. */
function route_line(ns: NetNamespace, r: Route<Interface>): string {
  const dst = r.prefix_len === 0 ? "default" : `${ipv4_to_string(r.network)}/${r.prefix_len}`;
  const dev = dev_name(ns, r.iface);
  if (r.gateway !== 0) return `${dst} via ${ipv4_to_string(r.gateway)} dev ${dev}`;
  const src = r.iface.source_address_for(r.network);
  return `${dst} dev ${dev} proto kernel scope link src ${ipv4_to_string(src)}${r.iface.up ? "" : " linkdown"}`;
}

/** ip route get ADDR: which device sends to ADDR, through which gateway, from which address. */
function route_get(ctx: ShellContext, ns: NetNamespace, target: string | undefined): void {
  const dst = parse_address(target ?? ip_error("Error: destination is expected."));
  const route = ns.fib.lookup(dst);
  if (route === null) ip_error("RTNETLINK answers: Network is unreachable");
  const dev = dev_name(ns, route.iface);
  const via = route.next_hop !== dst ? ` via ${ipv4_to_string(route.next_hop)}` : "";
  ctx.println(`${route.local ? "local " : ""}${ipv4_to_string(dst)}${via} dev ${dev} src ${ipv4_to_string(route.src)}`);
}

export function ip_route(ctx: ShellContext, ns: NetNamespace, args: string[]): void {
  const command = args[0] ?? "show";
  if (command === "show" || command === "list") {
    for (const r of ns.fib.list()) ctx.println(route_line(ns, r));
    return;
  }
  if (command === "get") return route_get(ctx, ns, args[1]);
  if (command !== "add" && command !== "del" && command !== "delete") throw new UsageError();
  const target = args[1] ?? ip_error("Error: destination is expected.");
  const cidr = target === "default" ? { address: 0, prefix_len: 0 } : parse_cidr(target);
  const via = option(args, "via");
  const gateway = via === undefined ? 0 : parse_address(via);
  const name = option(args, "dev");
  if (command === "del" || command === "delete") {
    const iface = name !== undefined ? device_named(ns, name).iface : null;
    if (!ns.fib.remove(cidr.address, cidr.prefix_len, iface)) ip_error("RTNETLINK answers: No such process");
    return;
  }
  // Without "dev", the device is the one whose connected route reaches the gateway (it must be on-link).
  let iface: Interface | null = name !== undefined ? device_named(ns, name).iface : null;
  if (iface === null && gateway !== 0) {
    const hop = ns.fib.lookup(gateway);
    if (hop !== null && !hop.local && hop.next_hop === gateway) iface = hop.iface;
  }
  if (iface === null) ip_error("Error: Nexthop has invalid gateway.");
  ns.fib.add(cidr.address, cidr.prefix_len, gateway, iface);
}
