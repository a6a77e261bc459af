// lspci's text: one line per function, and with -v the BARs, IRQ and capabilities.
import { PciDevice, pci_slot_name } from "./device";
import { class_name, device_name, vendor_name } from "./ids";

const CAPABILITY_NAMES: Record<number, string> = {
  0x01: "Power Management",
  0x05: "MSI",
  0x09: "Vendor Specific",
  0x10: "Express",
  0x11: "MSI-X",
};

export function lspci_text(devices: readonly PciDevice[], verbose: boolean): string {
  let out = "";
  for (const d of devices) {
    out += `${pci_slot_name(d)} ${class_name(d.class_code)}: ${vendor_name(d.vendor_id)} ${device_name(d.vendor_id, d.device_id)}`;
    out += d.revision ? ` (rev ${d.revision.toString(16).padStart(2, "0")})\n` : "\n";
    if (!verbose) continue;
    if (d.interrupt_pin) out += `\tInterrupt: pin ${String.fromCharCode(64 + d.interrupt_pin)} routed to IRQ ${d.irq}\n`;
    for (const bar of d.bars) {
      const where =
        bar.kind === "io"
          ? `I/O ports at ${bar.base.toString(16)}`
          : `Memory at ${bar.base.toString(16).padStart(8, "0")} (${bar.is64 ? "64" : "32"}-bit, ${bar.prefetchable ? "" : "non-"}prefetchable)`;
      out += `\tRegion ${bar.index}: ${where} [size=${bar.size}]\n`;
    }
    for (const cap of d.capabilities) {
      out += `\tCapabilities: [${cap.offset.toString(16)}] ${CAPABILITY_NAMES[cap.id] ?? `id ${cap.id.toString(16)}`}\n`;
    }
  }
  return out;
}
