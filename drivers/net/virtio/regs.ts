// A block of device registers, wherever the device put it. A virtio
// capability (§4.1.4) names a BAR and an offset in it, and a BAR is either
// I/O ports (v86) or memory (QEMU): the transport picks one of these per
// capability and never asks again.
import { hal } from "../../../kernel/hal/current";

export interface RegisterRegion {
  /** Bytes the region spans; the transport checked it fits in its BAR. */
  readonly length: number;
  read8(offset: number): number;
  read16(offset: number): number;
  read32(offset: number): number;
  write8(offset: number, value: number): void;
  write16(offset: number, value: number): void;
  write32(offset: number, value: number): void;
}

/** Registers in I/O port space: one in/out instruction per access. */
export class PortRegion implements RegisterRegion {
  constructor(
    readonly base: number,
    readonly length: number,
  ) {}

  read8(offset: number): number {
    return hal.inb(this.base + offset);
  }
  read16(offset: number): number {
    return hal.inw(this.base + offset);
  }
  read32(offset: number): number {
    return hal.inl(this.base + offset) >>> 0;
  }
  write8(offset: number, value: number): void {
    hal.outb(this.base + offset, value);
  }
  write16(offset: number, value: number): void {
    hal.outw(this.base + offset, value);
  }
  write32(offset: number, value: number): void {
    hal.outl(this.base + offset, value >>> 0);
  }
}

/** Memory-mapped registers: loads and stores through a view of the BAR. */
export class MmioRegion implements RegisterRegion {
  private readonly view: DataView;

  constructor(
    readonly phys: number,
    readonly length: number,
  ) {
    this.view = new DataView(hal.mmio_map(phys, length));
  }

  // Virtio 1.0 structures are little-endian (§4.1.3), whatever the CPU is.
  read8(offset: number): number {
    return this.view.getUint8(offset);
  }
  read16(offset: number): number {
    return this.view.getUint16(offset, true);
  }
  read32(offset: number): number {
    return this.view.getUint32(offset, true);
  }
  write8(offset: number, value: number): void {
    this.view.setUint8(offset, value);
  }
  write16(offset: number, value: number): void {
    this.view.setUint16(offset, value, true);
  }
  write32(offset: number, value: number): void {
    this.view.setUint32(offset, value >>> 0, true);
  }
}
