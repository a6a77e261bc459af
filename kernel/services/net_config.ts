// Network configuration at boot, from the kernel command line, as an init
// script would do it: bring init_net's lo up, and give the first card an
// address by DHCP, falling back to `ip=` (or using it at once with
// dhcp_timeout=0). Other cards wait for `ip addr add`.
import { cmdline_param, cmdline_seconds } from "../lib/cmdline";
import { pr_warn } from "../log";
import { dev_open } from "../net/dev";
import { init_net } from "../net/namespaces";
import type { NetDevice } from "../net/netdevice";
import { ipv4, ipv4_cidr } from "../../net/wire/address";
import { apply_static, dhcp_start, StaticConfig } from "./dhcp_client";

/** ip=10.0.2.15/24 gw=10.0.2.2 on the kernel command line, if given. A bad gw= loses only the gateway. */
export function static_config(cmdline: string): StaticConfig | null {
  const ip = cmdline_param(cmdline, "ip");
  if (ip === undefined) return null;
  try {
    return { ...ipv4_cidr(ip), gateway: gateway_of(cmdline) };
  } catch (error) {
    pr_warn(`net: ignoring ip= on the command line: ${(error as Error).message}`);
    return null;
  }
}

/** gw= on the kernel command line, or null if it is missing or bad (said in the log). */
function gateway_of(cmdline: string): number | null {
  const gw = cmdline_param(cmdline, "gw");
  if (gw === undefined) return null;
  try {
    return ipv4(gw);
  } catch (error) {
    pr_warn(`net: ignoring gw= on the command line: ${(error as Error).message}`);
    return null;
  }
}

/** dhcp_timeout=SECONDS: how long DHCP may take before the static address is used (0: static at once). */
function dhcp_timeout_us(cmdline: string): number {
  return cmdline_seconds(cmdline, "dhcp_timeout", 3) * 1e6;
}

/** Configure init_net's devices at boot. */
export function net_config_start(cards: NetDevice[], cmdline: string): void {
  const lo = init_net.devices.find((d) => d.loopback);
  if (lo) dev_open(lo, init_net);
  const eth0 = cards[0];
  if (!eth0) return;
  const fallback = static_config(cmdline);
  const timeout_us = dhcp_timeout_us(cmdline);
  if (fallback && timeout_us === 0) apply_static(eth0, fallback);
  else dhcp_start(eth0, init_net, fallback, timeout_us);
}
