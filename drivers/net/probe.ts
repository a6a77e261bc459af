// The network cards napkin has drivers for, and the probe that binds each
// card found on PCI to its driver. Every device that probes successfully is
// registered in init_net as eth0, eth1, ... in PCI order.
import { pr_info } from "../../kernel/log";
import { register_netdev } from "../../kernel/net/dev";
import { init_net } from "../../kernel/net/namespaces";
import type { NetDevice } from "../../kernel/net/netdevice";
import type { PciDevice } from "../pci/device";
import { Ne2000 } from "./ne2000";
import { VirtioNet } from "./virtio/virtio_net";

interface NicDriver {
  matches(pci: PciDevice): boolean;
  probe(pci: PciDevice, name: string): NetDevice | null;
}

const nic_drivers: NicDriver[] = [
  { matches: (d) => Ne2000.matches(d), probe: (d, name) => Ne2000.probe(d, name) },
  { matches: (d) => VirtioNet.matches(d), probe: (d, name) => VirtioNet.probe(d, name) },
];

/** Probe every network card in `pci_devices`; returns the devices registered, in order. */
export function net_probe_pci(pci_devices: PciDevice[]): NetDevice[] {
  const found: NetDevice[] = [];
  for (const pci of pci_devices) {
    const driver = nic_drivers.find((d) => d.matches(pci));
    if (!driver) continue;
    const dev = driver.probe(pci, `eth${found.length}`);
    if (!dev) continue;
    register_netdev(dev, init_net);
    found.push(dev);
  }
  if (found.length === 0) pr_info("net: no network card found");
  return found;
}
