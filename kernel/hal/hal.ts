// The hardware abstraction layer: the one contract between the kernel and the
// machine under it. In the guest it is backed by the C runtime in boot/ (see
// guest.ts); under Node, tests use a simulated machine (see sim.ts). Nothing
// outside kernel/hal may know which one is running.

/** A physically contiguous, page-aligned buffer that devices can DMA into. */
export interface DmaBuffer {
  /** Physical address of bytes[0], as a device must be told it. */
  readonly phys: number;
  /** A zero-copy view of the memory. */
  readonly bytes: Uint8Array;
}

export interface MemoryRegion {
  base: number;
  length: number;
  /** 1 = usable RAM, as in the multiboot memory map. */
  type: number;
}

export interface MemInfo {
  /** Physical RAM the machine has, in bytes. */
  phys_total: number;
  /** The C heap that backs QuickJS (malloc family). */
  heap_total: number;
  heap_used: number;
  /** Pages handed out for DMA. */
  dma_total: number;
  dma_used: number;
  /** QuickJS's own view: bytes allocated for JS objects, and their count. */
  js_malloc_size: number;
  js_obj_count: number;
  /** The most of the C heap QuickJS may hold; past it an allocation throws. */
  js_limit: number;
  /** The kernel image (text, data, bss and bundled script). */
  kernel_size: number;
}

/** The sizes mem_info() reports that never change while the machine runs. */
export type MemLimits = Pick<MemInfo, "phys_total" | "js_limit">;

/** A JS function that a profiler sample caught running. */
export interface ProfiledFunction {
  /** Its name ("" if anonymous), or null if it was freed before its samples were read. */
  name: string | null;
  /** The line of the kernel bundle it is defined on (0: unknown). */
  line: number;
}

/** What the sampling profiler recorded since the last read, one entry a sample. */
export interface ProfileSamples {
  /** Where the CPU was (the interrupted EIP). */
  eips: number[];
  /** The address of the native (a C function JS called) that QuickJS was running, or 0 if it ran JS. */
  natives: number[];
  /** The innermost JS function (a native's caller): an index into `functions`, or -1 for none. */
  js: number[];
  functions: ProfiledFunction[];
  /** Samples dropped because they were not read in time. */
  lost: number;
}

/** The kernel image's functions, as Linux's kallsyms: ascending addresses, one entry each. */
export interface KernelSymbols {
  addresses: number[];
  /** Bytes from each address that belong to the function. */
  sizes: number[];
  names: string[];
}

/**
 * The I/O port that stage marks are written to (kernel/lib/trace.ts): the
 * host side reads the emulator's instruction counter at each write. Neither
 * v86 nor QEMU has a device there.
 */
export const TRACE_PORT = 0xf8;

/** In an io_program: the pair (IO_INSL, register) reads the data from port base + register (rep insl, then a last word if two bytes are over). */
export const IO_INSL = 0xf9;
/** In an io_program: the pair (IO_OUTSL, register) writes the data to port base + register (rep outsl, then a last word if two bytes are over). */
export const IO_OUTSL = 0xfa;
/** In an io_program: the pair (IO_ACK, register) writes the byte last read to port base + register (a write-1-to-clear acknowledgement). */
export const IO_ACK = 0xfb;
/** In an io_program: the pair (IO_INB, register) reads the byte at port base + register into the result. */
export const IO_INB = 0xfc;
/** In an io_program: the pair (IO_INSW, register) reads the data from port base + register (rep insw). */
export const IO_INSW = 0xfd;
/** In an io_program: the pair (IO_OUTSW, register) writes the data to port base + register (rep outsw). */
export const IO_OUTSW = 0xfe;

export interface Hal {
  /** "guest" on the real (emulated) machine, "sim" under Node. */
  readonly kind: "guest" | "sim";
  /** The kernel command line, e.g. "ip=10.0.2.15/24 gw=10.0.2.2". */
  readonly cmdline: string;

  // --- time ---------------------------------------------------------------
  /** Monotonic microseconds since the runtime started (TSC based). */
  now_us(): number;
  /**
   * Halt the CPU until an IRQ is pending or now_us() reaches deadline_us
   * (Infinity: no deadline). Returns at once if an IRQ is already pending,
   * or if the hard-IRQ entry has run since the last irq_take_pending(): the
   * work its top halves left (a woken handler) shows in no pending bit.
   * This is the only place the machine waits: there is no busy loop anywhere.
   * Returns the µs it waited (the idle loop's account needs no clock reads).
   */
  idle(deadline_us: number): number;

  // --- interrupts ---------------------------------------------------------
  /**
   * The IRQ lines (among `lines`, default all) whose hard stub fired since
   * they were last taken, as a bitmask (bit n = IRQ n), cleared by reading.
   * The stub masked each such line and sent EOI; the kernel unmasks it once
   * its handlers have run.
   */
  irq_take_pending(lines?: number): number;
  /**
   * Make a line preemptive (or not): when it fires, the hard-IRQ entry runs
   * at QuickJS's next safe point (a call or a backward jump), nested in whatever JS
   * is running, instead of waiting for the scheduler's next pass.
   */
  irq_set_preempt(irq: number, on: boolean): void;
  /** The function the runtime calls for a preemptive line (kernel/irq/irq.ts installs it). */
  set_hardirq_entry(entry: () => void): void;
  /**
   * Hold hard IRQs off (nestable) around code that a preemptive handler must
   * not see halfway, such as a driver's register sequence; they run after
   * the matching local_irq_enable().
   */
  local_irq_disable(): void;
  local_irq_enable(): void;
  irq_mask(irq: number): void;
  irq_unmask(irq: number): void;
  /**
   * Spurious IRQs on line 7 or 15 so far: ones the PIC raised and withdrew
   * (in-service bit clear). Only the hard stub can tell, before its EOI, so
   * it counts and dismisses them; they never become pending.
   */
  irq_spurious_count(irq: number): number;

  // --- port I/O -----------------------------------------------------------
  inb(port: number): number;
  inw(port: number): number;
  inl(port: number): number;
  outb(port: number, value: number): void;
  outw(port: number, value: number): void;
  outl(port: number, value: number): void;
  /**
   * `count` (register, value) byte pairs from `program`, in order: each an
   * outb of value to port base + register, except that register IO_INSW or
   * IO_OUTSW moves the `bytes` (even) of `data` from `offset` on from or to
   * port base + value with a word string op (IO_INSL and IO_OUTSL with
   * doubleword ones, as far as they go), IO_INB reads the byte at port
   * base + value, and IO_ACK writes the byte last read to port base + value.
   * Returns the bytes read, the first in the lowest 8 bits (at most four).
   * One call for a device's register sequence and the transfer it frames,
   * which no top half can interrupt.
   */
  io_program(base: number, program: Uint8Array, count: number, data: Uint8Array, offset: number, bytes: number): number;
  /** String I/O (rep ins/outs) straight into or out of a byte view. */
  /** `bytes`, if given, moves only that many bytes from the front of the view. */
  insb(port: number, dst: Uint8Array, bytes?: number): void;
  insw(port: number, dst: Uint8Array, bytes?: number): void;
  insl(port: number, dst: Uint8Array, bytes?: number): void;
  outsb(port: number, src: Uint8Array, bytes?: number): void;
  outsw(port: number, src: Uint8Array, bytes?: number): void;
  outsl(port: number, src: Uint8Array, bytes?: number): void;

  // --- memory -------------------------------------------------------------
  /** Zeroed, page-aligned, physically contiguous memory for DMA. */
  dma_alloc(bytes: number): DmaBuffer;
  dma_free(buffer: DmaBuffer): void;
  /** A view of device memory (an MMIO BAR) at a physical address. */
  mmio_map(phys: number, length: number): ArrayBuffer;
  memory_map(): MemoryRegion[];
  /** Walks every JS object to count them: about half a million instructions with the kernel loaded. */
  mem_info(): MemInfo;
  /** What mem_info() says of RAM and the JS limit, without the walk. */
  mem_limits(): MemLimits;
  /** Run the JS engine's cycle collector now, so that mem_info() counts only what is reachable. */
  gc(): void;
  /** heap_used alone, cheap enough for a check per connection. */
  heap_used(): number;

  // --- native helpers for byte crunching ------------------------------------
  /**
   * The 16-bit ones' complement sum (RFC 1071) of data[offset, offset+length),
   * added to `initial`, folded but not inverted.
   */
  checksum(data: Uint8Array, offset: number, length: number, initial: number): number;
  /** memmove between two byte views. */
  copy(dst: Uint8Array, dst_offset: number, src: Uint8Array, src_offset: number, length: number): void;
  /** copy(), then checksum() of the bytes copied, from `initial`: one call where a packet's payload needs both. */
  copy_checksum(dst: Uint8Array, dst_offset: number, src: Uint8Array, src_offset: number, length: number, initial: number): number;
  /** HalfSipHash-2-4 of four 32-bit words under the key (k0, k1), unsigned: TCP's keyed hash (net/socket/hsiphash.ts). */
  hsiphash(a: number, b: number, c: number, d: number, k0: number, k1: number): number;

  // --- console ------------------------------------------------------------
  /** Write to the console (COM1) synchronously. */
  console_write(text: string): void;

  // --- the running thread, for fault reports and the soft-lockup watchdog ----
  /**
   * Tell the runtime which kernel thread now runs. If watchdog_us > 0 and the
   * thread runs that long without switching again, the runtime interrupts it
   * with an uncatchable "interrupted" error (the soft-lockup detector).
   */
  thread_switch(name: string, watchdog_us: number): void;

  // --- profiling ----------------------------------------------------------
  /**
   * Start the sampling profiler at the rate nearest `hz` that its timer can
   * do (returned): each sample records the EIP and the running JS function.
   * Samples not yet read are dropped.
   */
  profile_start(hz: number): number;
  profile_stop(): void;
  /** The rate the profiler samples at, or 0 while it is stopped (it may run from power-on: profile=boot). */
  profile_rate(): number;
  /** The samples taken since the last read (the buffer holds a few seconds' worth). */
  profile_read(): ProfileSamples;
  /** The kernel image's symbol table, to name the EIPs of samples. */
  kernel_symbols(): KernelSymbols;
  /** Write a stage mark to TRACE_PORT. */
  trace_mark(stage: number): void;

  /** Execute an invalid instruction: the runtime's fault report, then a stop (sysrq x). */
  crash(): never;

  // --- power --------------------------------------------------------------
  /** End the machine: exit code to the emulator (port 0xF4), else halt. */
  poweroff(code: number): never;
  reboot(): never;
}
