// The 16550 UART's receive side, interrupt driven. Output needs no driver:
// hal.console_write writes COM1 synchronously.
import { hal } from "../../kernel/hal/current";
import { IRQ_HANDLED, IRQ_NONE, IrqReturn, request_irq } from "../../kernel/irq/irq";
import type { Tty } from "../../kernel/tty/tty";

export const COM1_BASE = 0x3f8;
export const COM1_IRQ = 4;

const UART_RBR = 0; // receive buffer
const UART_IER = 1; // interrupt enable
const UART_MCR = 4; // modem control
const UART_LSR = 5; // line status
const IER_RX_AVAILABLE = 0x01;
const MCR_DTR_RTS_OUT2 = 0x0b; // OUT2 gates the UART's interrupt onto the ISA bus
const LSR_DATA_READY = 0x01;

/** Bytes taken per interrupt, so a flood cannot hold the CPU. */
const RX_BUDGET = 256;

/** Feed the UART at `base` into `tty` via `irq`. */
export function uart16550_init(base: number, irq: number, tty: Tty): void {
  const rx = new Uint8Array(RX_BUDGET);

  function uart_interrupt(): IrqReturn {
    let n = 0;
    while (n < RX_BUDGET && hal.inb(base + UART_LSR) & LSR_DATA_READY) rx[n++] = hal.inb(base + UART_RBR);
    if (n === RX_BUDGET && hal.inb(base + UART_LSR) & LSR_DATA_READY) {
      // More is waiting but the edge-triggered PIC saw its edge already:
      // re-enabling the interrupt makes a fresh one, delivered on unmask.
      hal.outb(base + UART_IER, 0);
      hal.outb(base + UART_IER, IER_RX_AVAILABLE);
    }
    if (n === 0) return IRQ_NONE;
    tty.receive(rx, n);
    return IRQ_HANDLED;
  }

  request_irq(irq, uart_interrupt, "serial");
  hal.outb(base + UART_MCR, MCR_DTR_RTS_OUT2);
  hal.outb(base + UART_IER, IER_RX_AVAILABLE);
}
