// Bringing networking up at boot: the NAPI handler, the root namespace with
// its loopback and netns_poll thread, and a driver for each NIC found on PCI.
import { hal } from "../hal/current";
import { pr_info, pr_warn } from "../log";
import { ipv4 } from "../../net/wire/address";
import { apply_static, dhcp_start, StaticConfig } from "./dhcp_client";
import { inetd_start } from "./inetd";
import { DEFAULT_TELNET_PASSWORD } from "./telnet_login";
import { DEFAULT_TELNET_MAX_SESSIONS, TelnetdOptions, telnetd_start } from "./telnetd";
import type { PciDevice } from "../../drivers/pci/device";
import { napi_init } from "./napi";
import { Ne2000 } from "../../drivers/net/ne2000";
import type { NetDevice } from "../../drivers/net/netdev";
import { add_loopback, init_net } from "./namespaces";
import { VirtioNet } from "../../drivers/net/virtio/virtio_net";

export { init_net, namespaces, find_device } from "./namespaces";

interface NicDriver {
  matches(pci: PciDevice): boolean;
  probe(pci: PciDevice, name: string): NetDevice | null;
}

const nic_drivers: NicDriver[] = [
  { matches: (d) => d.vendor_id === 0x10ec && d.device_id === 0x8029, probe: (d, name) => Ne2000.probe(d, name) },
  { matches: (d) => VirtioNet.matches(d), probe: (d, name) => VirtioNet.probe(d, name) },
];

/** ip=10.0.2.15/24 gw=10.0.2.2 on the kernel command line, if given. */
export function static_config(cmdline: string): StaticConfig | null {
  const ip = /(?:^|\s)ip=(\d+\.\d+\.\d+\.\d+)\/(\d+)(?:\s|$)/.exec(cmdline);
  if (!ip) return null;
  const gw = /(?:^|\s)gw=(\d+\.\d+\.\d+\.\d+)(?:\s|$)/.exec(cmdline);
  try {
    const prefix_len = Number(ip[2]);
    if (prefix_len > 32) throw new Error(`bad prefix /${prefix_len}`);
    return { address: ipv4(ip[1]), prefix_len, gateway: gw ? ipv4(gw[1]) : null };
  } catch (error) {
    pr_warn(`net: ignoring ip= on the command line: ${(error as Error).message}`);
    return null;
  }
}

/** dhcp_timeout=SECONDS: how long DHCP may take before the static address is used (0: static at once). */
function dhcp_timeout_us(cmdline: string): number {
  const m = /(?:^|\s)dhcp_timeout=(\d+(?:\.\d+)?)(?:\s|$)/.exec(cmdline);
  return (m ? Number(m[1]) : 3) * 1e6;
}

/**
 * telnet_password=SECRET (else the development default, "napkin") and
 * telnet_max_sessions=N on the kernel command line.
 */
export function telnetd_options(cmdline: string): TelnetdOptions {
  const password = /(?:^|\s)telnet_password=(\S+)/.exec(cmdline);
  const max = /(?:^|\s)telnet_max_sessions=(\d+)(?:\s|$)/.exec(cmdline);
  if (!password) pr_warn(`telnetd: no telnet_password= given, root's password is the default '${DEFAULT_TELNET_PASSWORD}'`);
  return {
    password: password ? password[1] : DEFAULT_TELNET_PASSWORD,
    max_sessions: max ? Number(max[1]) : DEFAULT_TELNET_MAX_SESSIONS,
  };
}

export function net_init(pci_devices: PciDevice[]): void {
  napi_init();
  init_net.start();

  add_loopback(init_net, true);

  let index = 0;
  for (const pci of pci_devices) {
    const driver = nic_drivers.find((d) => d.matches(pci));
    if (!driver) continue;
    const dev = driver.probe(pci, `eth${index}`);
    if (!dev) continue;
    init_net.add_device(dev);
    // The command line configures the first card; others wait for `ip addr add`.
    if (index++ > 0) continue;
    const fallback = static_config(hal.cmdline);
    const timeout_us = dhcp_timeout_us(hal.cmdline);
    if (fallback && timeout_us === 0) apply_static(dev, fallback);
    else dhcp_start(dev, fallback, timeout_us);
  }
  if (index === 0) pr_info("net: no network card found");
  inetd_start(init_net);
  telnetd_start(init_net, telnetd_options(hal.cmdline));
}
