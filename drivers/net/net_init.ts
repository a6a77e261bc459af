// Bringing networking up at boot: the NAPI handler, the root namespace with
// its loopback and netns_poll thread, and a driver for each NIC found on PCI.
import { hal } from "../../kernel/hal/current";
import { pr_info, pr_warn } from "../../kernel/log";
import { ipv4, ipv4_to_string } from "../../net/wire/address";
import type { PciDevice } from "../pci/device";
import { Loopback } from "./loopback";
import { napi_init } from "./napi";
import { Ne2000 } from "./ne2000";
import type { NetDevice } from "./netdev";
import { NetNamespace } from "./netns";
import { VirtioNet } from "./virtio/virtio_net";

/** The root namespace, as Linux's init_net. */
export const init_net = new NetNamespace("init_net");
export const namespaces: NetNamespace[] = [init_net];

interface NicDriver {
  matches(pci: PciDevice): boolean;
  probe(pci: PciDevice, name: string): NetDevice | null;
}

const nic_drivers: NicDriver[] = [
  { matches: (d) => d.vendor_id === 0x10ec && d.device_id === 0x8029, probe: (d, name) => Ne2000.probe(d, name) },
  { matches: (d) => VirtioNet.matches(d), probe: (d, name) => VirtioNet.probe(d, name) },
];

/** Parses "ip=10.0.2.15/24 gw=10.0.2.2" from the kernel command line. */
export function static_config(cmdline: string): { address: number; prefix_len: number; gateway: number | null } | null {
  const ip = /(?:^|\s)ip=(\d+\.\d+\.\d+\.\d+)\/(\d+)/.exec(cmdline);
  if (!ip) return null;
  const gw = /(?:^|\s)gw=(\d+\.\d+\.\d+\.\d+)/.exec(cmdline);
  try {
    const prefix_len = Number(ip[2]);
    if (prefix_len > 32) throw new Error(`bad prefix /${prefix_len}`);
    return { address: ipv4(ip[1]), prefix_len, gateway: gw ? ipv4(gw[1]) : null };
  } catch (error) {
    pr_warn(`net: ignoring ip= on the command line: ${(error as Error).message}`);
    return null;
  }
}

export function net_init(pci_devices: PciDevice[]): void {
  napi_init();
  init_net.start();

  const lo = new Loopback();
  lo.iface.add_address(ipv4("127.0.0.1"), 8);
  init_net.add_device(lo);
  lo.up = true;

  let index = 0;
  for (const pci of pci_devices) {
    const driver = nic_drivers.find((d) => d.matches(pci));
    if (!driver) continue;
    const dev = driver.probe(pci, `eth${index}`);
    if (!dev) continue;
    index++;
    init_net.add_device(dev);
    const config = static_config(hal.cmdline);
    if (config && index === 1) {
      dev.iface.add_address(config.address, config.prefix_len);
      if (config.gateway !== null) dev.iface.routes.add_default_gateway(config.gateway);
      pr_info(`${dev.name}: ${ipv4_to_string(config.address)}/${config.prefix_len} from the command line`);
    }
  }
  if (index === 0) pr_info("net: no network card found");
}

export function find_netns(name: string): NetNamespace | undefined {
  return namespaces.find((ns) => ns.name === name);
}

export function find_device(ns: NetNamespace, name: string): NetDevice | undefined {
  return ns.devices.find((d) => d.name === name);
}
