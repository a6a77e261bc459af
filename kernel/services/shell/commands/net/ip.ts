// ip: iproute2's syntax for links, addresses, routes, neighbours and network
// namespaces, acting on the shell thread's namespace.
import { current_netns } from "../../../../net/namespaces";
import { register_command, ShellContext, UsageError } from "../../command";
import { ip_addr } from "./ip_addr";
import { ip_error } from "./ip_args";
import { ip_link } from "./ip_link";
import { ip_neigh } from "./ip_neigh";
import { ip_netns } from "./ip_netns";
import { ip_route } from "./ip_route";

const USAGE = "ip [-s] { link | addr | route | neigh | netns } [ COMMAND ]";

async function ip(ctx: ShellContext): Promise<void> {
  const args = ctx.argv.slice(1);
  let stats = false;
  while (args[0] === "-s" || args[0] === "-stats") {
    stats = true;
    args.shift();
  }
  const object = args.shift();
  if (object === undefined) throw new UsageError();
  const ns = current_netns();
  if ("link".startsWith(object)) return ip_link(ctx, ns, args, stats);
  if ("address".startsWith(object)) return ip_addr(ctx, ns, args);
  if ("route".startsWith(object)) return ip_route(ctx, ns, args);
  if ("neighbour".startsWith(object) || "neighbor".startsWith(object)) return ip_neigh(ctx, ns);
  if (object === "netns") return ip_netns(ctx, args);
  ip_error(`Object "${object}" is unknown, try "ip help".`);
}

register_command({ name: "ip", usage: USAGE, description: "links, addresses, routes, neighbours and network namespaces", run: ip });
register_command({
  name: "arp",
  usage: "arp",
  description: "the neighbour (ARP) cache, as ip neigh",
  run: (ctx) => ip_neigh(ctx, current_netns()),
});
