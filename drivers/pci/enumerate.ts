// Finding every PCI function: walk bus 0, follow bridges to the buses behind
// them, and read each function's identity, BARs, capabilities and INTx pin.
import { read_bars } from "./bar";
import { read_capabilities } from "./capability";
import {
  PciAddress,
  PCI_HEADER_TYPE,
  PCI_INTERRUPT_LINE,
  PCI_INTERRUPT_PIN,
  PCI_REVISION,
  PCI_SECONDARY_BUS,
  PCI_VENDOR_ID,
  config_read32,
  config_read8,
  config_write8,
} from "./config";
import { PciDevice } from "./device";
import { is_piix3, pirq_for, route_pirqs } from "./intx_routing";

const NO_DEVICE = 0xffff;
/** The dword holding PCI_HEADER_TYPE (in its third byte), with the cache line size, latency timer and BIST. */
const PCI_HEADER_DWORD = PCI_HEADER_TYPE & ~3;
/** Bit 7 of the header type, in the dword read whole. */
const HEADER_MULTIFUNCTION = 0x80 << 16;
const CLASS_BRIDGE_PCI = 0x0604;

/**
 * One function's identity and resources. `id` and `header` are the dwords at
 * PCI_VENDOR_ID and PCI_HEADER_TYPE & ~3, which the scan has read already:
 * every read of configuration space costs the guest two port calls, and each
 * dword is read once.
 */
function read_function(at: PciAddress, id: number, header: number): PciDevice {
  const header_type = (header >>> 16) & 0x7f;
  const class_revision = config_read32(at, PCI_REVISION);
  return {
    ...at,
    vendor_id: id & 0xffff,
    device_id: id >>> 16,
    class_code: class_revision >>> 8,
    revision: class_revision & 0xff,
    header_type,
    // A bridge (type 1 header) has only two BARs.
    bars: header_type === 0 ? read_bars(at) : header_type === 1 ? read_bars(at, 2) : [],
    capabilities: read_capabilities(at),
    interrupt_pin: config_read8(at, PCI_INTERRUPT_PIN),
    irq: -1,
  };
}

function scan_bus(bus: number, found: PciDevice[], visited: Set<number>): void {
  if (visited.has(bus)) return; // a misconfigured bridge must not make us loop
  visited.add(bus);
  // One address moved along the slots: most of them are empty, and an object
  // for each would cost the guest more than the read that finds it empty.
  const probe: PciAddress = { bus, slot: 0, func: 0 };
  for (let slot = 0; slot < 32; slot++) {
    probe.slot = slot;
    probe.func = 0;
    let id = config_read32(probe, PCI_VENDOR_ID);
    if ((id & 0xffff) === NO_DEVICE) continue;
    let header = config_read32(probe, PCI_HEADER_DWORD);
    const functions = header & HEADER_MULTIFUNCTION ? 8 : 1;
    for (let func = 0; func < functions; func++) {
      if (func > 0) {
        probe.func = func;
        id = config_read32(probe, PCI_VENDOR_ID);
        if ((id & 0xffff) === NO_DEVICE) continue;
        header = config_read32(probe, PCI_HEADER_DWORD);
      }
      const at = { bus, slot, func };
      const d = read_function(at, id, header);
      found.push(d);
      if (d.class_code >>> 8 === CLASS_BRIDGE_PCI) scan_bus(config_read8(at, PCI_SECONDARY_BUS), found, visited);
    }
  }
}

let enumerated: PciDevice[] = [];

/** What the last pci_enumerate() found. */
export function pci_devices(): readonly PciDevice[] {
  return enumerated;
}

/** Enumerates all functions and routes the INTx pins of those on bus 0. */
export function pci_enumerate(): PciDevice[] {
  const found: PciDevice[] = [];
  enumerated = found;
  scan_bus(0, found, new Set());
  const router = found.find((d) => is_piix3(d.vendor_id, d.device_id));
  const pirq_irqs = router ? route_pirqs() : [];
  for (const d of found) {
    if (!d.interrupt_pin || d.interrupt_pin > 4) continue;
    if (router && d.bus === 0) {
      d.irq = pirq_irqs[pirq_for(d.slot, d.interrupt_pin)];
      config_write8(d, PCI_INTERRUPT_LINE, d.irq);
    } else {
      // Without a router we know of, trust what firmware wrote.
      const line = config_read8(d, PCI_INTERRUPT_LINE);
      d.irq = line > 0 && line < 16 ? line : -1;
    }
  }
  return found;
}
