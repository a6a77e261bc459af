// A simulated machine for host tests: a fake microsecond clock, injectable
// IRQ lines behind an 8259-like mask, a fake COM1 UART, captured console
// output and DMA memory from plain ArrayBuffers. Nothing here is real time:
// idle() jumps the clock to the next interesting moment.
import { hsiphash_4u32_js } from "../../net/socket/hsiphash";
import {
  IO_ACK,
  IO_INB,
  IO_INSL,
  IO_INSW,
  IO_OUTSL,
  IO_OUTSW,
  type DmaBuffer,
  type Hal,
  type KernelSymbols,
  type MemInfo,
  type MemLimits,
  type MemoryRegion,
  type ProfiledFunction,
  type ProfileSamples,
} from "./hal";

/** Thrown by poweroff() and reboot(): the simulated machine has stopped. */
export class SimPowerOff extends Error {
  constructor(
    readonly code: number,
    readonly reboot: boolean,
  ) {
    super(reboot ? "sim: reboot" : `sim: poweroff(${code})`);
    this.name = "SimPowerOff";
  }
}

/** The error the guest runtime's watchdog throws into a thread that runs too long. */
export function watchdog_interrupt_error(): Error {
  const error = new Error("interrupted");
  error.name = "InternalError";
  return error;
}

const COM1 = 0x3f8;
const UART_RBR = 0; // receive buffer (read, DLAB=0)
const UART_IER = 1; // interrupt enable
const UART_LCR = 3; // line control; bit 7 = DLAB
const UART_LSR = 5; // line status
const LSR_DATA_READY = 0x01;
const LSR_THR_EMPTY = 0x60; // THRE | TEMT: the fake transmitter is always idle
const IER_RX_AVAILABLE = 0x01;
const COM1_IRQ = 4;

interface SimEvent {
  at_us: number;
  action: () => void;
}

export class SimHal implements Hal {
  readonly kind = "sim";
  cmdline = "";

  /** Everything written to the console. */
  output = "";
  /** Every thread_switch call, in order: "name@watchdog_us". */
  readonly switches: string[] = [];
  /** The code poweroff() was called with, or "reboot", once the machine stopped. */
  stopped: number | "reboot" | null = null;
  /** Every stage mark written (trace_mark), in order. */
  readonly trace_marks: number[] = [];
  /** The profiler's rate while it runs, else 0. */
  profile_hz = 0;
  /** The symbol table kernel_symbols() returns. */
  symbols: KernelSymbols = { addresses: [0x100000, 0x100200], sizes: [0x200, 0x100], names: ["boot_main", "JS_CallInternal"] };
  /** Bit n set: IRQ n is really in service, so a 7 or 15 raised now is not spurious. */
  in_service = 0;

  private clock_us = 0;
  private pending = 0; // raised while unmasked, not yet taken
  private spurious = new Array<number>(16).fill(0);
  private latched = 0; // raised while masked: delivered on unmask
  private masked = 0xffff & ~(1 << 2); // like boot/irq.c: all but the cascade
  private preempt_lines = 0;
  private hardirq_entry: (() => void) | null = null;
  private hardirq_requested = false;
  private in_hardirq = false;
  /** The hard-IRQ entry ran since the last irq_take_pending(): idle() must not wait (boot/irq.c). */
  private hardirq_work = false;
  private irqs_off = 0;
  private events: SimEvent[] = [];

  private com1_input: number[] = [];
  private com1_regs = new Uint8Array(8);

  private samples: { eip: number; native: number; fn: ProfiledFunction | null }[] = [];

  private watchdog_us = 0;
  private busy_us = 0;
  private dma_used = 0;

  // --- test controls --------------------------------------------------------

  /** Let simulated time pass without idling, as if the CPU were busy. */
  advance(us: number): void {
    this.clock_us += us;
  }

  /** Run `action` when the clock reaches at_us (idle() stops there). */
  at(at_us: number, action: () => void): void {
    this.events.push({ at_us, action });
    this.events.sort((a, b) => a.at_us - b.at_us);
  }

  /** A device asserts IRQ line n. */
  raise_irq(irq: number): void {
    // Like boot/irq.c: a 7 or 15 that is not in service is spurious.
    if ((irq === 7 || irq === 15) && !(this.in_service & (1 << irq))) {
      this.spurious[irq]++;
      return;
    }
    if (this.masked & (1 << irq)) this.latched |= 1 << irq;
    else this.deliver(irq);
  }

  /**
   * The stub takes a line: pending for the scheduler, and for a preemptive
   * line the hard-IRQ entry at once, as if the CPU were at a safe point of
   * whatever JS ran (the test's call that raised it), unless hard IRQs are off.
   */
  private deliver(irq: number): void {
    this.pending |= 1 << irq;
    this.masked |= 1 << irq;
    if (this.preempt_lines & (1 << irq)) {
      this.hardirq_requested = true;
      this.run_hardirq();
    }
  }

  private run_hardirq(): void {
    if (!this.hardirq_requested || this.irqs_off > 0 || this.in_hardirq || !this.hardirq_entry) return;
    this.in_hardirq = true;
    try {
      while (this.hardirq_requested) {
        this.hardirq_requested = false;
        this.hardirq_entry();
      }
    } finally {
      this.in_hardirq = false;
      this.hardirq_work = true;
    }
  }

  /** Bytes arrive on COM1's wire; IRQ 4 fires if the UART was told to interrupt. */
  type(text: string | number[]): void {
    const bytes = typeof text === "string" ? Array.from(text, (c) => c.charCodeAt(0) & 0xff) : text;
    for (const byte of bytes) this.com1_input.push(byte);
    this.com1_kick();
  }

  /**
   * The profiler's interrupt fires: the CPU was at `eip`, in JS function `fn`
   * (null: none), or in the native at `native` that it called. Ignored while
   * the profiler is off.
   */
  profile_sample(eip: number, fn: ProfiledFunction | null, native = 0): void {
    if (this.profile_hz > 0) this.samples.push({ eip, native, fn });
  }

  /** Bytes still waiting in the fake UART. */
  com1_backlog(): number {
    return this.com1_input.length;
  }

  // --- time ---------------------------------------------------------------

  now_us(): number {
    // A thread that spins on the clock burns simulated CPU: each read counts
    // as a microsecond, so a spinner trips the watchdog as it would in the guest.
    if (this.watchdog_us > 0 && ++this.busy_us > this.watchdog_us) {
      this.watchdog_us = 0;
      throw watchdog_interrupt_error();
    }
    return this.clock_us;
  }

  idle(deadline_us: number): number {
    if (this.pending || this.hardirq_work) return 0;
    const next_event = this.events.length ? this.events[0].at_us : Infinity;
    const wake_at = Math.min(deadline_us, next_event);
    if (wake_at === Infinity) throw new Error("sim: idle forever (no timer, no IRQ, no event): deadlock");
    const start = this.clock_us;
    this.clock_us = Math.max(this.clock_us, wake_at);
    while (this.events.length && this.events[0].at_us <= this.clock_us) this.events.shift()!.action();
    return this.clock_us - start;
  }

  // --- interrupts ---------------------------------------------------------

  irq_take_pending(lines = 0xffff): number {
    const taken = this.pending & lines;
    this.pending &= ~lines;
    this.hardirq_work = false;
    return taken;
  }

  irq_set_preempt(irq: number, on: boolean): void {
    if (on) this.preempt_lines |= 1 << irq;
    else this.preempt_lines &= ~(1 << irq);
  }

  set_hardirq_entry(entry: () => void): void {
    this.hardirq_entry = entry;
  }

  local_irq_disable(): void {
    this.irqs_off++;
  }

  local_irq_enable(): void {
    this.irqs_off--;
    this.run_hardirq();
  }

  irq_mask(irq: number): void {
    this.masked |= 1 << irq;
  }

  irq_unmask(irq: number): void {
    this.masked &= ~(1 << irq);
    if (this.latched & (1 << irq)) {
      this.latched &= ~(1 << irq);
      this.deliver(irq);
    }
  }
  irq_spurious_count(irq: number): number {
    return this.spurious[irq] ?? 0;
  }

  is_masked(irq: number): boolean {
    return (this.masked & (1 << irq)) !== 0;
  }

  // --- port I/O -----------------------------------------------------------

  inb(port: number): number {
    if (port >= COM1 && port < COM1 + 8) return this.com1_read(port - COM1);
    return 0xff;
  }

  outb(port: number, value: number): void {
    if (port >= COM1 && port < COM1 + 8) this.com1_write(port - COM1, value);
  }

  inw(port: number): number {
    return this.inb(port) | 0xff00;
  }
  inl(port: number): number {
    return (this.inw(port) | 0xffff0000) >>> 0;
  }
  outw(port: number, value: number): void {
    this.outb(port, value & 0xff);
  }
  outl(port: number, value: number): void {
    this.outb(port, value & 0xff);
  }
  io_program(base: number, program: Uint8Array, count: number, data: Uint8Array, offset: number, bytes: number): number {
    const window = data.subarray(offset, offset + bytes);
    let read = 0,
      reads = 0,
      last = 0;
    for (let i = 0; i < count; i++) {
      const reg = program[2 * i],
        value = program[2 * i + 1];
      if (reg === IO_INSW || reg === IO_INSL) this.insb(base + value, window, bytes);
      else if (reg === IO_OUTSW || reg === IO_OUTSL) this.outsb(base + value, window, bytes);
      else if (reg === IO_ACK) this.outb(base + value, last);
      else if (reg === IO_INB) {
        last = this.inb(base + value);
        if (reads < 4) read = (read | (last << (8 * reads++))) >>> 0;
      } else this.outb(base + reg, value);
    }
    return read;
  }
  insb(port: number, dst: Uint8Array, bytes = dst.length): void {
    for (let i = 0; i < Math.min(bytes, dst.length); i++) dst[i] = this.inb(port);
  }
  insw(port: number, dst: Uint8Array, bytes?: number): void {
    this.insb(port, dst, bytes);
  }
  insl(port: number, dst: Uint8Array, bytes?: number): void {
    this.insb(port, dst, bytes);
  }
  outsb(port: number, src: Uint8Array, bytes = src.length): void {
    for (let i = 0; i < Math.min(bytes, src.length); i++) this.outb(port, src[i]);
  }
  outsw(port: number, src: Uint8Array, bytes?: number): void {
    this.outsb(port, src, bytes);
  }
  outsl(port: number, src: Uint8Array, bytes?: number): void {
    this.outsb(port, src, bytes);
  }

  private com1_read(reg: number): number {
    const dlab = (this.com1_regs[UART_LCR] & 0x80) !== 0;
    if (reg === UART_RBR && !dlab) {
      const byte = this.com1_input.shift();
      return byte === undefined ? 0 : byte;
    }
    if (reg === UART_LSR) return LSR_THR_EMPTY | (this.com1_input.length ? LSR_DATA_READY : 0);
    return this.com1_regs[reg];
  }

  private com1_write(reg: number, value: number): void {
    const dlab = (this.com1_regs[UART_LCR] & 0x80) !== 0;
    if (reg === 0 && !dlab) {
      this.output += String.fromCharCode(value);
      return;
    }
    this.com1_regs[reg] = value;
    // Enabling the receive interrupt while data waits makes a fresh edge.
    if (reg === UART_IER && !dlab) this.com1_kick();
  }

  private com1_kick(): void {
    const rx_enabled = (this.com1_regs[UART_IER] & IER_RX_AVAILABLE) !== 0;
    if (rx_enabled && this.com1_input.length) this.raise_irq(COM1_IRQ);
  }

  // --- memory -------------------------------------------------------------

  dma_alloc(bytes: number): DmaBuffer {
    const size = Math.ceil(bytes / 4096) * 4096;
    const phys = 0x100000 + this.dma_used;
    this.dma_used += size;
    return { phys, bytes: new Uint8Array(new ArrayBuffer(size)).subarray(0, bytes) };
  }

  dma_free(buffer: DmaBuffer): void {
    this.dma_used -= Math.ceil(buffer.bytes.length / 4096) * 4096;
  }

  mmio_map(_phys: number, length: number): ArrayBuffer {
    return new ArrayBuffer(length);
  }

  memory_map(): MemoryRegion[] {
    return [
      { base: 0, length: 0x9fc00, type: 1 },
      { base: 0x100000, length: 127 * 1024 * 1024, type: 1 },
    ];
  }

  /** What heap_used() answers; tests raise it to put the kernel under memory pressure. */
  heap_used_bytes = 3 * 1024 * 1024;

  heap_used(): number {
    return this.heap_used_bytes;
  }

  gc(): void {
    // Node's collector runs when it likes; the simulated figures are fixed anyway.
  }

  mem_info(): MemInfo {
    return {
      ...this.mem_limits(),
      heap_total: 64 * 1024 * 1024,
      heap_used: this.heap_used(),
      dma_total: 8 * 1024 * 1024,
      dma_used: this.dma_used,
      js_malloc_size: 2 * 1024 * 1024,
      js_obj_count: 12345,
      kernel_size: 1024 * 1024,
    };
  }

  mem_limits(): MemLimits {
    return { phys_total: 128 * 1024 * 1024, js_limit: 56 * 1024 * 1024 };
  }

  // --- byte crunching -----------------------------------------------------

  checksum(data: Uint8Array, offset: number, length: number, initial: number): number {
    let sum = initial;
    for (let i = 0; i + 1 < length; i += 2) sum += (data[offset + i] << 8) | data[offset + i + 1];
    if (length & 1) sum += data[offset + length - 1] << 8;
    while (sum > 0xffff) sum = (sum & 0xffff) + Math.floor(sum / 0x10000);
    return sum;
  }

  copy(dst: Uint8Array, dst_offset: number, src: Uint8Array, src_offset: number, length: number): void {
    dst.set(src.subarray(src_offset, src_offset + length), dst_offset);
  }

  copy_checksum(dst: Uint8Array, dst_offset: number, src: Uint8Array, src_offset: number, length: number, initial: number): number {
    this.copy(dst, dst_offset, src, src_offset, length);
    return this.checksum(dst, dst_offset, length, initial);
  }

  hsiphash(a: number, b: number, c: number, d: number, k0: number, k1: number): number {
    return hsiphash_4u32_js(a, b, c, d, k0, k1);
  }

  // --- profiling ----------------------------------------------------------

  profile_start(hz: number): number {
    this.profile_hz = hz;
    this.samples = [];
    return hz;
  }

  profile_stop(): void {
    this.profile_hz = 0;
  }

  profile_rate(): number {
    return this.profile_hz;
  }

  profile_read(): ProfileSamples {
    const read: ProfileSamples = { eips: [], natives: [], js: [], functions: [], lost: 0 };
    for (const { eip, native, fn } of this.samples) {
      read.eips.push(eip);
      read.natives.push(native);
      read.js.push(fn ? read.functions.push(fn) - 1 : -1);
    }
    this.samples = [];
    return read;
  }

  kernel_symbols(): KernelSymbols {
    return this.symbols;
  }

  trace_mark(stage: number): void {
    this.trace_marks.push(stage);
  }

  // --- console, threads, power --------------------------------------------

  console_write(text: string): void {
    this.output += text;
  }

  thread_switch(name: string, watchdog_us: number): void {
    this.switches.push(name + "@" + watchdog_us);
    this.watchdog_us = watchdog_us;
    this.busy_us = 0;
  }

  crash(): never {
    this.stopped = 3; // the runtime's exit code for a CPU fault
    throw new SimPowerOff(3, false);
  }

  poweroff(code: number): never {
    this.stopped = code;
    throw new SimPowerOff(code, false);
  }

  reboot(): never {
    this.stopped = "reboot";
    throw new SimPowerOff(0, true);
  }
}
