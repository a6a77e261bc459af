// Finding every PCI function: walk bus 0, follow bridges to the buses behind
// them, and read each function's identity, BARs, capabilities and INTx pin.
import { read_bars } from "./bar";
import { read_capabilities } from "./capability";
import {
  PciAddress,
  PCI_DEVICE_ID,
  PCI_HEADER_TYPE,
  PCI_INTERRUPT_LINE,
  PCI_INTERRUPT_PIN,
  PCI_REVISION,
  PCI_SECONDARY_BUS,
  PCI_VENDOR_ID,
  config_read16,
  config_read32,
  config_read8,
  config_write8,
} from "./config";
import { PciDevice } from "./device";
import { is_piix3, pirq_for, route_pirqs } from "./intx_routing";

const NO_DEVICE = 0xffff;
const CLASS_BRIDGE_PCI = 0x0604;

function read_function(at: PciAddress): PciDevice {
  const header_type = config_read8(at, PCI_HEADER_TYPE) & 0x7f;
  return {
    ...at,
    vendor_id: config_read16(at, PCI_VENDOR_ID),
    device_id: config_read16(at, PCI_DEVICE_ID),
    class_code: config_read32(at, PCI_REVISION) >>> 8,
    revision: config_read8(at, PCI_REVISION),
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
  for (let slot = 0; slot < 32; slot++) {
    if (config_read16({ bus, slot, func: 0 }, PCI_VENDOR_ID) === NO_DEVICE) continue;
    const multifunction = (config_read8({ bus, slot, func: 0 }, PCI_HEADER_TYPE) & 0x80) !== 0;
    for (let func = 0; func < (multifunction ? 8 : 1); func++) {
      const at = { bus, slot, func };
      if (config_read16(at, PCI_VENDOR_ID) === NO_DEVICE) continue;
      const d = read_function(at);
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
