// ip addr: show, add, del.
import { ipv4_to_string, prefix_mask } from "../../../../../net/wire/address";
import type { NetNamespace } from "../../../../net/netns";
import { ShellContext, UsageError } from "../../command";
import { device_named, ip_error, option, parse_cidr } from "./ip_args";
import { link_line } from "./ip_link";

export function ip_addr(ctx: ShellContext, ns: NetNamespace, args: string[]): void {
  const command = args[0] ?? "show";
  if (command === "show" || command === "list") {
    const only = option(args, "dev") ?? args[1];
    ns.devices.forEach((dev, i) => {
      if (only !== undefined && dev.name !== only) return;
      ctx.tty.write(link_line(dev, i + 1));
      for (const a of dev.iface.addresses) {
        const broadcast = a.prefix_len < 31 ? ` brd ${ipv4_to_string((a.address | ~prefix_mask(a.prefix_len)) >>> 0)}` : "";
        ctx.println(
          `    inet ${ipv4_to_string(a.address)}/${a.prefix_len}${broadcast} scope ${dev.name === "lo" ? "host" : "global"} ${dev.name}`,
        );
      }
    });
    return;
  }
  if (command !== "add" && command !== "del" && command !== "delete") throw new UsageError();
  const cidr = parse_cidr(args[1] ?? ip_error("Error: prefix is expected."));
  const dev = device_named(ns, option(args, "dev") ?? ip_error('Not enough information: "dev" argument is required.'));
  if (command === "add") {
    if (dev.iface.has_address(cidr.address)) ip_error("Error: ipv4: Address already assigned.");
    dev.iface.add_address(cidr.address, cidr.prefix_len);
  } else {
    if (!dev.iface.has_address(cidr.address)) ip_error("Error: ipv4: Address not found.");
    dev.iface.remove_address(cidr.address);
  }
}
