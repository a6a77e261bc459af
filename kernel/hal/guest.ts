// The HAL on the real (emulated) machine: a thin typed face over the `napkin`
// object that the C runtime (boot/natives.c) installs. This is the only file
// that touches the QuickJS bindings.
import { type DmaBuffer, type Hal, TRACE_PORT } from "./hal";

/** The natives are the HAL itself but for DMA, which C hands over as (phys, buffer), and stage marks, which are port writes. */
type Natives = Omit<Hal, "kind" | "dma_alloc" | "dma_free" | "trace_mark"> & {
  dma_alloc(bytes: number): { phys: number; buffer: ArrayBuffer };
  dma_free(phys: number): void;
};

declare const napkin: Natives;

export function guest_hal(): Hal {
  const n = napkin;
  return {
    kind: "guest",
    cmdline: n.cmdline,
    now_us: n.now_us,
    idle: n.idle,
    irq_take_pending: n.irq_take_pending,
    irq_set_preempt: n.irq_set_preempt,
    set_hardirq_entry: n.set_hardirq_entry,
    local_irq_disable: n.local_irq_disable,
    local_irq_enable: n.local_irq_enable,
    irq_mask: n.irq_mask,
    irq_unmask: n.irq_unmask,
    irq_spurious_count: n.irq_spurious_count,
    inb: n.inb,
    inw: n.inw,
    inl: n.inl,
    outb: n.outb,
    outw: n.outw,
    outl: n.outl,
    io_program: n.io_program,
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
    mem_limits: n.mem_limits,
    gc: n.gc,
    heap_used: n.heap_used,
    checksum: n.checksum,
    copy: n.copy,
    copy_checksum: n.copy_checksum,
    hsiphash: n.hsiphash,
    console_write: n.console_write,
    thread_switch: n.thread_switch,
    profile_start: n.profile_start,
    profile_stop: n.profile_stop,
    profile_rate: n.profile_rate,
    profile_read: n.profile_read,
    kernel_symbols: n.kernel_symbols,
    trace_mark(stage: number): void {
      n.outb(TRACE_PORT, stage);
    },
    crash: n.crash,
    poweroff: n.poweroff,
    reboot: n.reboot,
  };
}
