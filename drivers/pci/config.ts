// PCI configuration space through the legacy mechanism #1: write an address
// to 0xCF8, then read or write the 32-bit window at 0xCFC.
import { hal } from "../../kernel/hal/current";

const CONFIG_ADDRESS = 0xcf8;
const CONFIG_DATA = 0xcfc;

/** Where a function lives: bus, slot (device number) and function number. */
export interface PciAddress {
  bus: number;
  slot: number;
  func: number;
}

/**
 * Bit 31 of the address, which turns the window on: 1 << 31, an int32, so the
 * address is built and passed in int32 arithmetic (0x80000000 is a double
 * in the guest's QuickJS, and every operation on it a slow path).
 */
const CONFIG_ENABLE = 1 << 31;

function select(at: PciAddress, offset: number): void {
  hal.outl(CONFIG_ADDRESS, CONFIG_ENABLE | (at.bus << 16) | (at.slot << 11) | (at.func << 8) | (offset & 0xfc));
}

export function config_read32(at: PciAddress, offset: number): number {
  select(at, offset);
  return hal.inl(CONFIG_DATA) >>> 0;
}

export function config_read16(at: PciAddress, offset: number): number {
  return (config_read32(at, offset) >>> ((offset & 2) * 8)) & 0xffff;
}

export function config_read8(at: PciAddress, offset: number): number {
  return (config_read32(at, offset) >>> ((offset & 3) * 8)) & 0xff;
}

export function config_write32(at: PciAddress, offset: number, value: number): void {
  select(at, offset);
  hal.outl(CONFIG_DATA, value >>> 0);
}

export function config_write16(at: PciAddress, offset: number, value: number): void {
  select(at, offset);
  hal.outw(CONFIG_DATA + (offset & 2), value & 0xffff);
}

export function config_write8(at: PciAddress, offset: number, value: number): void {
  select(at, offset);
  hal.outb(CONFIG_DATA + (offset & 3), value & 0xff);
}

// Offsets in the type 0 header that drivers use.
export const PCI_VENDOR_ID = 0x00;
export const PCI_DEVICE_ID = 0x02;
export const PCI_COMMAND = 0x04;
export const PCI_STATUS = 0x06;
export const PCI_REVISION = 0x08;
export const PCI_CLASS = 0x09; // prog-if, subclass, class in 0x09..0x0b
export const PCI_HEADER_TYPE = 0x0e;
export const PCI_BAR0 = 0x10;
export const PCI_SECONDARY_BUS = 0x19; // type 1 (bridge) header
export const PCI_CAPABILITIES = 0x34;
export const PCI_INTERRUPT_LINE = 0x3c;
export const PCI_INTERRUPT_PIN = 0x3d;

export const PCI_COMMAND_IO = 0x1;
export const PCI_COMMAND_MEMORY = 0x2;
export const PCI_COMMAND_MASTER = 0x4;
export const PCI_COMMAND_INTX_DISABLE = 0x400;
export const PCI_STATUS_CAP_LIST = 0x10;
