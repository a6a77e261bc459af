// A fake NE2000 (the RTL8029 on PCI) on a simulated machine: a DP8390 core
// with 16 KiB of packet memory and the station-address PROM, behind I/O ports
// as v86 and QEMU lay it out: the registers at 0x00-0x0f (three pages, chosen
// by CR), the remote DMA data port at 0x10, reset at 0x1f.
//
// A frame the test puts on the wire lands in the receive ring between PSTART
// and PSTOP as the card writes it: a 4-byte header (status, next page, count
// = the frame padded to 60 bytes plus the header), the frame after it,
// wrapping at PSTOP, CURR moved past it, PRX raised. When the pages up to
// BNRY cannot hold it, it is dropped and counted, and OVW raised. A frame the
// driver sends (TXP) is kept whole for the test. The interrupt line follows
// ISR & IMR and, on the 8259 of the simulated machine, interrupts on its
// rising edge only, as on the real machine.
import { SimHal } from "../../kernel/hal/sim";
import { FakeFunction, PciMachine } from "./pci_machine";
import { PciDevice } from "../../drivers/pci/device";

export const IO = 0xc200;
export const IRQ = 11;
export const SLOT = 4;

// Registers (offsets from the I/O base), page 0 unless noted: the data
// sheet's map, written out here rather than taken from the driver, so that a
// wrong offset there is not copied into the device it is tested against.
const CR = 0x00;
const PSTART = 0x01;
const PSTOP = 0x02;
const BNRY = 0x03;
const TPSR = 0x04;
const TBCR0 = 0x05;
const TBCR1 = 0x06;
const ISR = 0x07;
const RSAR0 = 0x08;
const RSAR1 = 0x09;
const RBCR0 = 0x0a;
const RBCR1 = 0x0b;
const RCR = 0x0c;
const TCR = 0x0d;
const DCR = 0x0e;
const IMR = 0x0f;
const CURR = 0x07; // page 1
const DATA = 0x10;
const RESET = 0x1f;

const CR_STP = 0x01;
const CR_TXP = 0x04;
export const ISR_PRX = 0x01;
export const ISR_PTX = 0x02;
const ISR_OVW = 0x10;
const ISR_RDC = 0x40;
const ISR_RST = 0x80;

const MEMORY_BYTES = 0x8000;
const PAGE = 256;
const MIN_FRAME = 60;
const HEADER = 4;

/** The simulated machine with the card in slot SLOT. */
export class Ne2000Machine extends PciMachine {
  readonly card: FakeNe2000;
  protected readonly function: FakeFunction;

  constructor(mac: number[]) {
    super(SLOT);
    this.card = new FakeNe2000(this, mac);
    this.function = this.card;
  }

  // String I/O on the data port (rep insw/insl, outsw/outsl: every width
  // comes here) moves the remote DMA's bytes in one go.
  insb(port: number, dst: Uint8Array, bytes = dst.length): void {
    if (port === IO + DATA) this.card.remote_read_string(dst, Math.min(bytes, dst.length));
    else super.insb(port, dst, bytes);
  }

  outsb(port: number, src: Uint8Array, bytes = src.length): void {
    if (port === IO + DATA) this.card.remote_write_string(src, Math.min(bytes, src.length));
    else super.outsb(port, src, bytes);
  }

  /** The PciDevice that enumeration would produce for the card. */
  pci(): PciDevice {
    return {
      bus: 0,
      slot: SLOT,
      func: 0,
      vendor_id: 0x10ec,
      device_id: 0x8029,
      class_code: 0x020000,
      revision: 0,
      header_type: 0,
      bars: [{ index: 0, kind: "io", base: IO, size: 0x20, prefetchable: false, is64: false }],
      capabilities: [],
      interrupt_pin: 1,
      irq: IRQ,
    };
  }
}

/** The DP8390 core and its memory, as the driver sees them through the ports. */
export class FakeNe2000 implements FakeFunction {
  private readonly config = new Uint8Array(256);
  readonly memory = new Uint8Array(MEMORY_BYTES);
  cr = CR_STP;
  isr = ISR_RST;
  imr = 0;
  pstart = 0;
  pstop = 0;
  bnry = 0;
  curr = 0;
  tpsr = 0;
  private tbcr = 0;
  private rsar = 0;
  private rbcr = 0;
  rcr = 0;
  tcr = 0;
  dcr = 0;
  readonly par = new Uint8Array(6);
  readonly mar = new Uint8Array(8);
  /** Frames the driver sent, whole. */
  readonly sent: Uint8Array[] = [];
  /** Frames the ring had no room for. */
  dropped = 0;
  /** While set, a transmission started with TXP does not complete: complete_transmit() ends it. */
  hold_transmit = false;
  private line = false;

  constructor(
    private readonly machine: SimHal,
    mac: number[],
  ) {
    // The station address PROM at card address 0, each byte doubled (word mode).
    mac.forEach((byte, i) => {
      this.memory[2 * i] = byte;
      this.memory[2 * i + 1] = byte;
    });
  }

  // --- the PCI function: its command register, its one I/O BAR ------------

  config_read(reg: number, width: number): number {
    let value = 0;
    for (let i = width - 1; i >= 0; i--) value = value * 256 + this.config[reg + i];
    return value >>> 0;
  }

  config_write(reg: number, width: number, value: number): void {
    for (let i = 0; i < width; i++) this.config[reg + i] = (value >>> (8 * i)) & 0xff;
  }

  /** The PCI command register the driver wrote. */
  command(): number {
    return this.config[4] | (this.config[5] << 8);
  }

  io_read(port: number, width: number): number | null {
    if (port < IO || port >= IO + 0x20) return null;
    let value = 0;
    for (let i = 0; i < width; i++) value |= this.read(port - IO) << (8 * i); // a wide read of the data port takes the next bytes
    return value >>> 0;
  }

  io_write(port: number, width: number, value: number): boolean {
    if (port < IO || port >= IO + 0x20) return false;
    for (let i = 0; i < width; i++) this.write(port - IO, (value >>> (8 * i)) & 0xff);
    return true;
  }

  // --- the DP8390's registers ----------------------------------------------

  read(reg: number): number {
    if (reg === DATA) return this.remote_read();
    if (reg === RESET) {
      this.reset();
      return 0;
    }
    if (reg === CR) return this.cr;
    const page = this.cr >> 6;
    if (page === 1) {
      if (reg >= 1 && reg <= 6) return this.par[reg - 1];
      if (reg === CURR) return this.curr;
      return this.mar[reg - 8];
    }
    if (reg === BNRY) return this.bnry;
    if (reg === ISR) return this.isr;
    return 0;
  }

  write(reg: number, value: number): void {
    if (reg === DATA) return this.remote_write(value);
    if (reg === RESET) return this.reset();
    if (reg === CR) return this.write_cr(value);
    const page = this.cr >> 6;
    if (page === 1) {
      if (reg >= 1 && reg <= 6) this.par[reg - 1] = value;
      else if (reg === CURR) this.curr = value;
      else this.mar[reg - 8] = value;
      return;
    }
    switch (reg) {
      case PSTART:
        this.pstart = value;
        break;
      case PSTOP:
        this.pstop = value;
        break;
      case BNRY:
        this.bnry = value;
        break;
      case TPSR:
        this.tpsr = value;
        break;
      case TBCR0:
        this.tbcr = (this.tbcr & 0xff00) | value;
        break;
      case TBCR1:
        this.tbcr = (this.tbcr & 0xff) | (value << 8);
        break;
      case ISR:
        this.isr &= ~value; // write 1 to clear
        break;
      case RSAR0:
        this.rsar = (this.rsar & 0xff00) | value;
        break;
      case RSAR1:
        this.rsar = (this.rsar & 0xff) | (value << 8);
        break;
      case RBCR0:
        this.rbcr = (this.rbcr & 0xff00) | value;
        break;
      case RBCR1:
        this.rbcr = (this.rbcr & 0xff) | (value << 8);
        break;
      case RCR:
        this.rcr = value;
        break;
      case TCR:
        this.tcr = value;
        break;
      case DCR:
        this.dcr = value;
        break;
      case IMR:
        this.imr = value;
        break;
    }
    if (reg === ISR || reg === IMR) this.update_line();
  }

  /**
   * A frame on the wire for the card. Returns whether it went into the ring.
   * `next_page`, if given, is written into its header instead of the true
   * one: a header the driver must not trust.
   */
  receive(frame: Uint8Array, next_page?: number): boolean {
    if (this.cr & CR_STP) return false;
    const padded = Math.max(frame.length, MIN_FRAME);
    const count = padded + HEADER;
    const pages = Math.ceil(count / PAGE);
    const ring = this.pstop - this.pstart;
    // The card may fill the pages from CURR up to, not including, BNRY.
    const free = (((this.bnry - this.curr) % ring) + ring) % ring;
    if (pages > free) {
      this.dropped++;
      this.isr |= ISR_OVW;
      this.update_line();
      return false;
    }
    let next = this.curr + pages;
    if (next >= this.pstop) next -= ring;
    const bytes = new Uint8Array(count);
    bytes.set([0x01, next_page ?? next, count & 0xff, count >> 8]);
    bytes.set(frame, HEADER);
    // Up to the ring's end, then on from its start.
    const at = this.curr * PAGE;
    const first = Math.min(count, this.pstop * PAGE - at);
    this.memory.set(bytes.subarray(0, first), at);
    this.memory.set(bytes.subarray(first), this.pstart * PAGE);
    this.curr = next;
    this.isr |= ISR_PRX;
    this.update_line();
    return true;
  }

  /** End the transmission hold_transmit kept going. */
  complete_transmit(): void {
    this.hold_transmit = false;
    if (this.cr & CR_TXP) this.transmit();
  }

  /** Pages of the ring the driver has not yet freed (from BNRY + 1 up to CURR). */
  pages_in_use(): number {
    const ring = this.pstop - this.pstart;
    return (((this.curr - this.bnry - 1) % ring) + ring) % ring;
  }

  private write_cr(value: number): void {
    this.cr = value & ~CR_TXP;
    if (value & CR_STP) this.isr |= ISR_RST;
    if (value & CR_TXP && !(value & CR_STP)) {
      this.cr |= CR_TXP;
      if (!this.hold_transmit) this.transmit();
    }
    this.update_line();
  }

  private transmit(): void {
    const at = this.tpsr * PAGE;
    this.sent.push(this.memory.slice(at, at + this.tbcr));
    this.cr &= ~CR_TXP;
    this.isr |= ISR_PTX;
    this.update_line();
  }

  private remote_read(): number {
    const value = this.memory[this.rsar];
    this.remote_advance(1);
    return value;
  }

  private remote_write(value: number): void {
    this.memory[this.rsar] = value;
    this.remote_advance(1);
  }

  /** `count` bytes of remote DMA read into dst: what as many reads of the data port give, in runs up to the ring's end. */
  remote_read_string(dst: Uint8Array, count: number): void {
    for (let done = 0; done < count;) {
      const run = Math.min(count - done, this.run_length());
      dst.set(this.memory.subarray(this.rsar, this.rsar + run), done);
      this.remote_advance(run);
      done += run;
    }
  }

  /** `count` bytes of src written by remote DMA: what as many writes of the data port do. */
  remote_write_string(src: Uint8Array, count: number): void {
    for (let done = 0; done < count;) {
      const run = Math.min(count - done, this.run_length());
      this.memory.set(src.subarray(done, done + run), this.rsar);
      this.remote_advance(run);
      done += run;
    }
  }

  /** Bytes from the remote DMA address to where it wraps (PSTOP) or to the end of memory. */
  private run_length(): number {
    const end = this.pstop !== 0 && this.rsar < this.pstop * PAGE ? this.pstop * PAGE : MEMORY_BYTES;
    return end - this.rsar;
  }

  /**
   * Remote DMA moves on `n` bytes (never past the ring's end: see
   * run_length), wrapping at PSTOP as the receive ring does; RDC when the
   * byte count runs out.
   */
  private remote_advance(n: number): void {
    this.rsar += n;
    if (this.pstop !== 0 && this.rsar === this.pstop * PAGE) this.rsar = this.pstart * PAGE;
    if (this.rbcr > 0) {
      this.rbcr = Math.max(0, this.rbcr - n);
      if (this.rbcr === 0) {
        this.isr |= ISR_RDC;
        this.update_line();
      }
    }
  }

  private reset(): void {
    this.cr = CR_STP;
    this.isr = ISR_RST;
    this.imr = 0;
    this.update_line();
  }

  /** The line is ISR & IMR; the machine sees its rising edges. */
  private update_line(): void {
    const high = (this.isr & this.imr & 0x7f) !== 0;
    const rising = high && !this.line;
    this.line = high; // first: the interrupt runs the top half at once, which acknowledges
    if (rising) this.machine.raise_irq(IRQ);
  }
}
