// One PCI function as napkin sees it after enumeration.
import { PciBar } from "./bar";
import { PciCapability } from "./capability";
import { PciAddress, PCI_COMMAND, PCI_COMMAND_INTX_DISABLE, config_read16, config_write16 } from "./config";

export interface PciDevice extends PciAddress {
  vendor_id: number;
  device_id: number;
  /** class << 16 | subclass << 8 | prog-if */
  class_code: number;
  revision: number;
  header_type: number;
  bars: PciBar[];
  capabilities: PciCapability[];
  /** INTx pin, 1 = INTA .. 4 = INTD; 0 when the function has none. */
  interrupt_pin: number;
  /** The ISA IRQ the pin is routed to, or -1 when not routed. */
  irq: number;
}

/** "00:03.0", as lspci prints a slot. */
export function pci_slot_name(d: PciAddress): string {
  const hex2 = (n: number) => n.toString(16).padStart(2, "0");
  return `${hex2(d.bus)}:${hex2(d.slot)}.${d.func}`;
}

/** Turns on the command bits a driver needs (I/O, memory, bus mastering) and INTx. */
export function pci_enable_device(d: PciDevice, bits: number): void {
  const command = config_read16(d, PCI_COMMAND);
  config_write16(d, PCI_COMMAND, (command | bits) & ~PCI_COMMAND_INTX_DISABLE);
}
