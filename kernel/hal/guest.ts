// The HAL on the real (emulated) machine: a thin typed face over the `napkin`
// object that the C runtime (boot/natives.c) installs. This is the only file
// that touches the QuickJS bindings.
import type { DmaBuffer, Hal, MemInfo, MemoryRegion } from "./hal";

interface Natives {
  cmdline: string;
  now_us(): number;
  idle(deadline_us: number): void;
  irq_take_pending(): number;
  irq_mask(irq: number): void;
  irq_unmask(irq: number): void;
  irq_spurious_count(irq: number): number;
  inb(port: number): number;
  inw(port: number): number;
  inl(port: number): number;
  outb(port: number, value: number): void;
  outw(port: number, value: number): void;
  outl(port: number, value: number): void;
  insb(port: number, dst: Uint8Array): void;
  insw(port: number, dst: Uint8Array): void;
  insl(port: number, dst: Uint8Array): void;
  outsb(port: number, src: Uint8Array): void;
  outsw(port: number, src: Uint8Array): void;
  outsl(port: number, src: Uint8Array): void;
  dma_alloc(bytes: number): { phys: number; buffer: ArrayBuffer };
  dma_free(phys: number): void;
  mmio_map(phys: number, length: number): ArrayBuffer;
  memory_map(): MemoryRegion[];
  mem_info(): MemInfo;
  checksum(data: Uint8Array, offset: number, length: number, initial: number): number;
  copy(dst: Uint8Array, dst_offset: number, src: Uint8Array, src_offset: number, length: number): void;
  console_write(text: string): void;
  thread_switch(name: string, watchdog_us: number): void;
  crash(): never;
  poweroff(code: number): never;
  reboot(): never;
}

declare const napkin: Natives;

export function guest_hal(): Hal {
  const n = napkin;
  return {
    kind: "guest",
    cmdline: n.cmdline,
    now_us: n.now_us,
    idle: n.idle,
    irq_take_pending: n.irq_take_pending,
    irq_mask: n.irq_mask,
    irq_unmask: n.irq_unmask,
    irq_spurious_count: n.irq_spurious_count,
    inb: n.inb,
    inw: n.inw,
    inl: n.inl,
    outb: n.outb,
    outw: n.outw,
    outl: n.outl,
    insb: n.insb,
    insw: n.insw,
    insl: n.insl,
    outsb: n.outsb,
    outsw: n.outsw,
    outsl: n.outsl,
    dma_alloc(bytes: number): DmaBuffer {
      const { phys, buffer } = n.dma_alloc(bytes);
      return { phys, bytes: new Uint8Array(buffer) };
    },
    dma_free(buffer: DmaBuffer): void {
      n.dma_free(buffer.phys);
    },
    mmio_map: n.mmio_map,
    memory_map: n.memory_map,
    mem_info: n.mem_info,
    checksum: n.checksum,
    copy: n.copy,
    console_write: n.console_write,
    thread_switch: n.thread_switch,
    crash: n.crash,
    poweroff: n.poweroff,
    reboot: n.reboot,
  };
}
