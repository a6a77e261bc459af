// /proc/interrupts, in the shape Linux prints for an XT-PIC machine.
import { irq_descs, spurious_total } from "./irq";

export function show_interrupts(): string {
  let text = "           CPU0\n";
  let unhandled = 0;
  for (const desc of irq_descs()) {
    unhandled += desc.unhandled;
    if (desc.actions.length === 0 && desc.count === 0) continue;
    const names = desc.actions.map((action) => action.name).join(", ");
    text += `${String(desc.irq).padStart(3)}: ${String(desc.count).padStart(10)}   XT-PIC  ${names}\n`.replace(/ +\n$/, "\n");
  }
  text += `ERR: ${String(unhandled).padStart(10)}\n`;
  text += `SPU: ${String(spurious_total()).padStart(10)}   Spurious interrupts\n`;
  return text;
}
