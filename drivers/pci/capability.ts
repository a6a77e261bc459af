// The capability list: a chain of (id, next) records in config space, used by
// virtio 1.0 to say where its register blocks are.
import { PciAddress, PCI_CAPABILITIES, PCI_STATUS, PCI_STATUS_CAP_LIST, config_read16, config_read8 } from "./config";

export const PCI_CAP_ID_MSI = 0x05;
export const PCI_CAP_ID_VENDOR = 0x09;
export const PCI_CAP_ID_MSIX = 0x11;

export interface PciCapability {
  id: number;
  /** Offset of the capability in config space. */
  offset: number;
}

export function read_capabilities(at: PciAddress): PciCapability[] {
  const caps: PciCapability[] = [];
  if (!(config_read16(at, PCI_STATUS) & PCI_STATUS_CAP_LIST)) return caps;
  let offset = config_read8(at, PCI_CAPABILITIES) & 0xfc;
  // A malformed list could loop: config space holds at most 48 capabilities.
  for (let guard = 0; offset >= 0x40 && guard < 48; guard++) {
    caps.push({ id: config_read8(at, offset), offset });
    offset = config_read8(at, offset + 1) & 0xfc;
  }
  return caps;
}
