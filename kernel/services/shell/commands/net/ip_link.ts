// ip link: show, add (veth pairs), set (up/down, netns, mtu, promisc, mode), del.
import type { NetDevice } from "../../../../net/netdevice";
import { Veth } from "../../../../net/veth";
import { mac_to_string } from "../../../../../net/wire/address";
import { drop_names } from "../../../../../net/wire/error";
import { dev_change_net_namespace, dev_close, dev_open } from "../../../../net/dev";
import { find_device, find_netns, veth_add, veth_del } from "../../../../net/namespaces";
import type { NetNamespace } from "../../../../net/netns";
import { ShellContext, UsageError } from "../../command";
import { device_arg, ip_error, option } from "./ip_args";

export function link_line(dev: NetDevice, index: number): string {
  const loopback = dev.name === "lo";
  const flags = loopback ? ["LOOPBACK"] : ["BROADCAST", "MULTICAST"];
  if (dev.promiscuous) flags.push("PROMISC");
  if (dev.allmulti) flags.push("ALLMULTI");
  if (dev.up) flags.push("UP", "LOWER_UP");
  const name = dev instanceof Veth && dev.peer ? `${dev.name}@${dev.peer.name}` : dev.name;
  return (
    `${index}: ${name}: <${flags.join(",")}> mtu ${dev.mtu} state ${dev.up ? "UP" : "DOWN"} mode ${dev.rx_mode}\n` +
    `    link/${loopback ? "loopback" : "ether"} ${mac_to_string(dev.mac)}\n`
  );
}

function link_stats(dev: NetDevice): string {
  const s = dev.stats;
  const n = dev.napi;
  const col = (values: (number | string)[]) =>
    values
      .map((v) => String(v).padEnd(10))
      .join(" ")
      .trimEnd() + "\n";
  const drops = dev.iface.stats.rx_dropped;
  const reasons = [];
  for (let i = 1; i < drops.length; i++) if (drops[i]) reasons.push(`${drop_names[i]} ${drops[i]}`);
  return (
    "    RX: " +
    col(["bytes", "packets", "errors", "dropped"]) +
    "    " +
    col([s.rx_bytes, s.rx_packets, s.rx_errors, s.rx_dropped]) +
    "    TX: " +
    col(["bytes", "packets", "errors", "dropped"]) +
    "    " +
    col([s.tx_bytes, s.tx_packets, s.tx_errors, s.tx_dropped]) +
    "    IRQ/NAPI: " +
    col(["irqs", "polls", "work", "budget_out"]) +
    "    " +
    col([s.irqs, n.polls, n.work_done, n.budget_exhausted]) +
    // Frames the stack parsed and dropped, by reason (malformed, not for us, ...).
    `    stack drops: ${dev.iface.stats.dropped_total()}${reasons.length ? ` (${reasons.join(", ")})` : ""}\n`
  );
}

function link_show(ctx: ShellContext, ns: NetNamespace, args: string[], stats: boolean): void {
  const only = option(args, "dev") ?? args[1];
  if (only !== undefined && !find_device(ns, only)) ip_error(`Device "${only}" does not exist.`);
  ns.devices.forEach((dev, i) => {
    if (only !== undefined && dev.name !== only) return;
    ctx.tty.write(link_line(dev, i + 1));
    if (stats) ctx.tty.write(link_stats(dev));
  });
}

function link_set(ns: NetNamespace, args: string[]): void {
  const dev = device_arg(ns, args);
  if (args.includes("up")) dev_open(dev, ns);
  else if (args.includes("down")) dev_close(dev, ns);
  const mtu = option(args, "mtu");
  if (mtu !== undefined && !dev.set_mtu(Number(mtu)))
    ip_error(`Error: mtu ${mtu} is out of range for ${dev.name} (68..${dev.max_frame - 14}).`);
  const promisc = option(args, "promisc");
  const allmulti = option(args, "allmulticast");
  if (promisc !== undefined || allmulti !== undefined) {
    const want = (v: string | undefined, now: boolean) => (v === undefined ? now : v === "on");
    if (!dev.set_rx_mode(want(allmulti, dev.allmulti), want(promisc, dev.promiscuous)))
      ip_error(`Error: ${dev.name} cannot change its receive filter.`);
    dev.allmulti = want(allmulti, dev.allmulti);
    dev.promiscuous = want(promisc, dev.promiscuous);
  }
  const mode = option(args, "mode");
  if (mode === "napi" || mode === "interrupt") dev.rx_mode = mode;
  else if (mode !== undefined) ip_error(`Error: mode "${mode}" is not napi or interrupt.`);
  const target = option(args, "netns");
  if (target !== undefined) {
    const to = find_netns(target) ?? ip_error(`Invalid "netns" value "${target}"`);
    if (to !== ns) dev_change_net_namespace(dev, ns, to);
  }
}

/** ip link add NAME type veth peer name PEER */
function link_add(ns: NetNamespace, args: string[]): void {
  const name = args[1];
  if (name === undefined || option(args, "type") !== "veth")
    ip_error('Error: only "ip link add NAME type veth peer name PEER" is supported.');
  const peer = option(args, "name") ?? ip_error('Error: veth needs "peer name PEER".');
  veth_add(ns, name, peer);
}

function link_del(ns: NetNamespace, args: string[]): void {
  const dev = device_arg(ns, args);
  if (!(dev instanceof Veth)) ip_error(`RTNETLINK answers: Operation not supported (${dev.name} is not a virtual device)`);
  veth_del(dev);
}

export function ip_link(ctx: ShellContext, ns: NetNamespace, args: string[], stats: boolean): void {
  const command = args[0] ?? "show";
  if (command === "show" || command === "list") link_show(ctx, ns, args, stats);
  else if (command === "set") link_set(ns, args);
  else if (command === "add") link_add(ns, args);
  else if (command === "del" || command === "delete") link_del(ns, args);
  else throw new UsageError();
}
