// Routing PCI INTx pins to ISA IRQs. A BIOS normally programs the PIIX3's
// four PIRQ route registers; napkin boots without one (v86's multiboot
// path), so it programs any that are still disabled itself and keeps any a
// BIOS already set.
import { PciAddress, config_read8, config_write8 } from "./config";
import { hal } from "../../kernel/hal/current";

const PIIX3_ISA: PciAddress = { bus: 0, slot: 1, func: 0 };
const PIRQ_ROUTE = 0x60; // PIRQA..PIRQD at 0x60..0x63
const PIRQ_DISABLED = 0x80;
/** IRQs free on a PC for PCI: not the timer, keyboard, cascade, COM1/2, RTC, mouse, FPU or IDE. */
const DEFAULT_PIRQ_IRQS = [11, 10, 9, 5];
const ELCR = [0x4d0, 0x4d1]; // edge/level control: PCI INTx lines are level triggered

/** The PIRQ a device's pin lands on: the standard PIIX swizzle over slot and pin. */
export function pirq_for(slot: number, pin: number): number {
  return (slot + pin - 2) & 3;
}

export function is_piix3(vendor: number, device: number): boolean {
  return vendor === 0x8086 && device === 0x7000;
}

/** Programs unset PIRQ routes; returns the IRQ of each PIRQ (-1: disabled). */
export function route_pirqs(): number[] {
  const irqs: number[] = [];
  for (let pirq = 0; pirq < 4; pirq++) {
    let route = config_read8(PIIX3_ISA, PIRQ_ROUTE + pirq);
    if (route & PIRQ_DISABLED || route === 0 || route > 15) {
      route = DEFAULT_PIRQ_IRQS[pirq];
      config_write8(PIIX3_ISA, PIRQ_ROUTE + pirq, route);
    }
    irqs.push(route);
    const port = ELCR[route >> 3];
    hal.outb(port, hal.inb(port) | (1 << (route & 7)));
  }
  return irqs;
}
