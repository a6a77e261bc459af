// ip: iproute2's syntax for links, addresses, routes and neighbours, on the
// shell's namespace. Error messages follow iproute2 where they apply.
import { find_device, init_net } from "../../../net/net_init";
import type { NetDevice } from "../../../../drivers/net/netdev";
import type { NetNamespace } from "../../../net/netns";
import { hal } from "../../../hal/current";
import { ipv4, ipv4_to_string, mac_to_string, prefix_mask } from "../../../../net/wire/address";
import { drop_names } from "../../../../net/wire/error";
import { register_command, ShellContext, UsageError } from "../../command";

const USAGE = "ip [-s] { link | addr | route | neigh } [ COMMAND ]";

function ip_error(text: string): never {
  throw new Error(text);
}

function parse_cidr(text: string): { address: number; prefix_len: number } {
  const [addr, prefix = "32"] = text.split("/");
  const prefix_len = Number(prefix);
  let address: number;
  try {
    address = ipv4(addr);
  } catch {
    return ip_error(`Error: any valid prefix is expected rather than "${text}".`);
  }
  if (!(prefix_len >= 0 && prefix_len <= 32) || !/^\d+$/.test(prefix)) ip_error(`Error: any valid prefix is expected rather than "${text}".`);
  return { address, prefix_len };
}

/** The value after keyword `key` (e.g. "dev eth0"), or undefined. */
function option(args: string[], key: string): string | undefined {
  const i = args.indexOf(key);
  return i >= 0 ? args[i + 1] : undefined;
}

function device_arg(ns: NetNamespace, args: string[]): NetDevice {
  const name = option(args, "dev") ?? ip_error('Not enough information: "dev" argument is required.');
  return find_device(ns, name) ?? ip_error(`Cannot find device "${name}"`);
}

function link_line(dev: NetDevice, index: number): string {
  const flags = dev.name === "lo" ? ["LOOPBACK"] : ["BROADCAST", "MULTICAST"];
  if (dev.promiscuous) flags.push("PROMISC");
  if (dev.allmulti) flags.push("ALLMULTI");
  if (dev.up) flags.push("UP", "LOWER_UP");
  const mtu = dev.capabilities.max_transmission_unit - (dev.name === "lo" ? 0 : 14);
  const kind = dev.name === "lo" ? "loopback" : "ether";
  return `${index}: ${dev.name}: <${flags.join(",")}> mtu ${mtu} state ${dev.up ? "UP" : "DOWN"} mode ${dev.rx_mode}\n` +
    `    link/${kind} ${mac_to_string(dev.mac)}\n`;
}

function link_stats(dev: NetDevice): string {
  const s = dev.stats;
  const n = dev.napi;
  const col = (values: (number | string)[]) => values.map((v) => String(v).padEnd(10)).join(" ").trimEnd() + "\n";
  return "    RX: " + col(["bytes", "packets", "errors", "dropped"]) +
    "    " + col([s.rx_bytes, s.rx_packets, s.rx_errors, s.rx_dropped]) +
    "    TX: " + col(["bytes", "packets", "errors", "dropped"]) +
    "    " + col([s.tx_bytes, s.tx_packets, s.tx_errors, s.tx_dropped]) +
    "    IRQ/NAPI: " + col(["irqs", "polls", "work", "budget_out"]) +
    "    " + col([s.irqs, n.polls, n.work_done, n.budget_exhausted]) +
    stack_drops(dev);
}

/** Frames the stack parsed and dropped, by reason (malformed, not for us, ...). */
function stack_drops(dev: NetDevice): string {
  const drops = dev.iface.stats.rx_dropped;
  const reasons = [];
  for (let i = 1; i < drops.length; i++) if (drops[i]) reasons.push(`${drop_names[i]} ${drops[i]}`);
  return `    stack drops: ${dev.iface.stats.dropped_total()}${reasons.length ? ` (${reasons.join(", ")})` : ""}\n`;
}

function ip_link(ctx: ShellContext, ns: NetNamespace, args: string[], stats: boolean): void {
  const command = args[0] ?? "show";
  if (command === "show" || command === "list") {
    const only = option(args, "dev") ?? args[1];
    if (only !== undefined && !find_device(ns, only)) ip_error(`Device "${only}" does not exist.`);
    ns.devices.forEach((dev, i) => {
      if (only !== undefined && dev.name !== only) return;
      ctx.tty.write(link_line(dev, i + 1));
      if (stats) ctx.tty.write(link_stats(dev));
    });
    return;
  }
  if (command === "set") {
    const dev = device_arg(ns, args);
    if (args.includes("up")) dev.up = true;
    else if (args.includes("down")) dev.up = false;
    const promisc = option(args, "promisc");
    const allmulti = option(args, "allmulticast");
    if (promisc !== undefined || allmulti !== undefined) {
      const on = (v: string | undefined, now: boolean) => (v === undefined ? now : v === "on");
      if (!dev.set_rx_mode(on(allmulti, dev.allmulti), on(promisc, dev.promiscuous))) ip_error(`Error: ${dev.name} cannot change its receive filter.`);
      dev.allmulti = on(allmulti, dev.allmulti);
      dev.promiscuous = on(promisc, dev.promiscuous);
    }
    const mode = option(args, "mode");
    if (mode === "napi" || mode === "interrupt") dev.rx_mode = mode;
    else if (mode !== undefined) ip_error(`Error: mode "${mode}" is not napi or interrupt.`);
    ns.kick();
    return;
  }
  throw new UsageError();
}

function ip_addr(ctx: ShellContext, ns: NetNamespace, args: string[]): void {
  const command = args[0] ?? "show";
  if (command === "show" || command === "list") {
    ns.devices.forEach((dev, i) => {
      ctx.tty.write(link_line(dev, i + 1));
      for (const a of dev.iface.addresses) {
        const broadcast = a.prefix_len < 31 ? ` brd ${ipv4_to_string((a.address | ~prefix_mask(a.prefix_len)) >>> 0)}` : "";
        ctx.println(`    inet ${ipv4_to_string(a.address)}/${a.prefix_len}${broadcast} scope ${dev.name === "lo" ? "host" : "global"} ${dev.name}`);
      }
    });
    return;
  }
  if (command === "add" || command === "del") {
    const cidr = parse_cidr(args[1] ?? ip_error("Error: prefix is expected."));
    const dev = device_arg(ns, args);
    if (command === "add") {
      if (dev.iface.has_address(cidr.address)) ip_error("Error: ipv4: Address already assigned.");
      dev.iface.add_address(cidr.address, cidr.prefix_len);
    } else {
      if (!dev.iface.has_address(cidr.address)) ip_error("Error: ipv4: Address not found.");
      dev.iface.remove_address(cidr.address);
    }
    return;
  }
  throw new UsageError();
}

function ip_route(ctx: ShellContext, ns: NetNamespace, args: string[]): void {
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
  if (command === "add" || command === "del") {
    const target = args[1] ?? ip_error("Error: destination is expected.");
    const cidr = target === "default" ? { address: 0, prefix_len: 0 } : parse_cidr(target);
    const via = option(args, "via");
    let gateway = 0;
    if (via !== undefined) {
      try {
        gateway = ipv4(via);
      } catch {
        ip_error(`Error: inet address is expected rather than "${via}".`);
      }
    }
    const dev = option(args, "dev") !== undefined ? device_arg(ns, args) : ns.devices.find((d) => gateway && d.iface.routes.next_hop(gateway) === gateway);
    if (!dev) ip_error("Error: Nexthop has invalid gateway.");
    if (command === "add") dev.iface.routes.add(cidr.address, cidr.prefix_len, gateway);
    else dev.iface.routes.remove(cidr.address, cidr.prefix_len);
    return;
  }
  throw new UsageError();
}

function ip_neigh(ctx: ShellContext, ns: NetNamespace): void {
  const now = hal.now_us();
  for (const dev of ns.devices) {
    for (const entry of dev.iface.arp_cache.entries(now)) {
      ctx.println(`${ipv4_to_string(entry.ip)} dev ${dev.name} lladdr ${mac_to_string(entry.mac)} REACHABLE`);
    }
  }
}

function ip(ctx: ShellContext): void {
  const args = ctx.argv.slice(1);
  let stats = false;
  while (args[0] === "-s" || args[0] === "-stats") {
    stats = true;
    args.shift();
  }
  const object = args.shift();
  const ns = init_net;
  if (object === undefined) throw new UsageError();
  if ("link".startsWith(object)) return ip_link(ctx, ns, args, stats);
  if ("address".startsWith(object)) return ip_addr(ctx, ns, args);
  if ("route".startsWith(object)) return ip_route(ctx, ns, args);
  if ("neighbour".startsWith(object) || "neighbor".startsWith(object)) return ip_neigh(ctx, ns);
  ip_error(`Object "${object}" is unknown, try "ip help".`);
}

register_command({ name: "ip", usage: USAGE, description: "show and change links, addresses, routes and neighbours", run: ip });
register_command({
  name: "arp",
  usage: "arp",
  description: "the neighbour (ARP) cache, as ip neigh",
  run: (ctx) => ip_neigh(ctx, init_net),
});
