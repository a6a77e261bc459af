// A fake virtio-net PCI function (modern, virtio 1.0) on a simulated machine,
// laid out like v86's: its virtio structures sit in I/O-port BARs.
//
//   BAR0 (io 0xc000, 0x80): common cfg at 0x00, ISR at 0x40
//   BAR1 (io 0xc100, 0x40): device cfg at 0x00, notify at 0x20 (multiplier 4)
//
// The capability list also holds a COMMON_CFG naming a reserved BAR (6) and
// a PCI_CFG capability: a driver must skip both. The device side reads and
// writes the driver's rings in DMA memory like hardware would.
import { DmaBuffer } from "../../kernel/hal/hal";
import { FakeFunction, PciMachine } from "./pci_machine";
import { PciDevice } from "../../drivers/pci/device";
import { read_capabilities } from "../../drivers/pci/capability";

export const IO0 = 0xc000;
export const IO1 = 0xc100;
export const MEM0 = 0xfebf0000;
export const MEM1 = 0xfebf1000;
export const IRQ = 11;
export const SLOT = 3;

const F_NO_INTERRUPT = 1;
const DESC_F_NEXT = 1;
const DESC_F_WRITE = 2;
const HDR = 12;

export interface FakeOptions {
  /** Offered feature words. */
  features_lo: number;
  features_hi: number;
  mac: number[];
  mtu: number;
  queue_max: number;
  /** Drop FEATURES_OK when the driver sets it. */
  refuse_features: boolean;
}

export const DEFAULT_OPTIONS: FakeOptions = {
  // CSUM(0) MTU(3) MAC(5) MRG_RXBUF(15) STATUS(16) EVENT_IDX(29); VERSION_1(32)
  features_lo: (1 << 0) | (1 << 3) | (1 << 5) | (1 << 15) | (1 << 16) | (1 << 29),
  features_hi: 1,
  mac: [0x52, 0x54, 0x00, 0x12, 0x34, 0x56],
  mtu: 1500,
  queue_max: 1024,
  refuse_features: false,
};

interface FakeQueue {
  size: number;
  enable: number;
  notify_off: number;
  desc: number;
  driver: number;
  device: number;
  last_avail: number;
  used_idx: number;
}

function fresh_queue(max: number, index: number): FakeQueue {
  return { size: max, enable: 0, notify_off: index, desc: 0, driver: 0, device: 0, last_avail: 0, used_idx: 0 };
}

/** The simulated machine with the fake in slot SLOT, its structures in I/O BARs. */
export class VirtioMachine extends PciMachine {
  readonly dma: DmaBuffer[] = [];
  readonly dev: FakeVirtioNet;
  protected readonly function: FakeFunction;

  constructor(options: Partial<FakeOptions> = {}) {
    super(SLOT);
    this.dev = new FakeVirtioNet(this, { ...DEFAULT_OPTIONS, ...options });
    this.function = this.dev;
  }

  /**
   * The PciDevice enumeration would produce. With "mem", the same layout
   * claims to sit in memory BARs at MEM0 and MEM1 (QEMU style); only the
   * capability parsing can be tested that way, as plain memory cannot trap.
   */
  pci(kind: "io" | "mem" = "io"): PciDevice {
    const at = { bus: 0, slot: SLOT, func: 0 };
    return {
      ...at,
      vendor_id: 0x1af4,
      device_id: 0x1041,
      class_code: 0x020000,
      revision: 1,
      header_type: 0,
      bars: [
        { index: 0, kind, base: kind === "io" ? IO0 : MEM0, size: 0x80, prefetchable: false, is64: false },
        { index: 1, kind, base: kind === "io" ? IO1 : MEM1, size: 0x40, prefetchable: false, is64: false },
      ],
      capabilities: read_capabilities(at),
      interrupt_pin: 1,
      irq: IRQ,
    };
  }

  dma_alloc(bytes: number): DmaBuffer {
    const buffer = super.dma_alloc(bytes);
    this.dma.push(buffer);
    return buffer;
  }

  dma_free(buffer: DmaBuffer): void {
    this.dma.splice(this.dma.indexOf(buffer), 1);
    super.dma_free(buffer);
  }

  /** The bytes at guest-physical [phys, phys + length), as a device sees them. */
  mem(phys: number, length: number): Uint8Array {
    for (let i = this.dma.length - 1; i >= 0; i--) {
      const b = this.dma[i];
      if (phys >= b.phys && phys + length <= b.phys + b.bytes.length) return b.bytes.subarray(phys - b.phys, phys - b.phys + length);
    }
    throw new Error(`fake device: DMA to unmapped ${phys.toString(16)}+${length}`);
  }
}

export class FakeVirtioNet implements FakeFunction {
  readonly config = new Uint8Array(256);
  status = 0;
  isr = 0;
  generation = 0;
  link_up = true;
  dfselect = 0;
  gfselect = 0;
  driver_features = [0, 0];
  queue_select = 0;
  queues: FakeQueue[] = [];
  /** Frames the driver transmitted, header stripped. */
  readonly sent: Uint8Array[] = [];
  /** Every virtio_net_hdr the driver sent, for checking it is all zero. */
  readonly sent_headers: Uint8Array[] = [];
  /** Keep transmitted buffers instead of completing them (see complete_tx). */
  hold_tx = false;
  private held_tx: number[] = [];
  notifications = [0, 0];
  /** Frames that found no receive buffer. */
  rx_no_buffer = 0;

  constructor(
    private readonly machine: VirtioMachine,
    readonly options: FakeOptions,
  ) {
    const c = new DataView(this.config.buffer);
    c.setUint16(0x00, 0x1af4, true);
    c.setUint16(0x02, 0x1041, true);
    c.setUint16(0x06, 0x10, true); // capability list
    c.setUint32(0x08, 0x02000001, true); // network controller, revision 1
    c.setUint32(0x10, IO0 | 1, true);
    c.setUint32(0x14, IO1 | 1, true);
    c.setUint8(0x34, 0x40);
    c.setUint8(0x3c, IRQ);
    c.setUint8(0x3d, 1);
    const cap = (at: number, next: number, len: number, type: number, bar: number, offset: number, length: number) => {
      this.config.set([0x09, next, len, type, bar], at);
      c.setUint32(at + 8, offset, true);
      c.setUint32(at + 12, length, true);
    };
    cap(0x40, 0x50, 16, 1, 6, 0, 0x38); // COMMON in a reserved BAR: must be skipped
    cap(0x50, 0x60, 16, 1, 0, 0x00, 0x38); // COMMON
    cap(0x60, 0x70, 16, 3, 0, 0x40, 1); // ISR
    cap(0x70, 0x80, 16, 4, 1, 0x00, 12); // DEVICE
    cap(0x80, 0x98, 20, 2, 1, 0x20, 0x20); // NOTIFY
    c.setUint32(0x80 + 16, 4, true); // notify_off_multiplier
    cap(0x98, 0x00, 20, 5, 0, 0, 0); // PCI_CFG
    this.reset();
  }

  private reset(): void {
    this.status = 0;
    this.isr = 0;
    this.driver_features = [0, 0];
    this.queues = [0, 1, 2].map((i) => fresh_queue(this.options.queue_max, i));
  }

  // --- config space -------------------------------------------------------------

  config_read(reg: number, width: number): number {
    let value = 0;
    for (let i = width - 1; i >= 0; i--) value = value * 256 + this.config[reg + i];
    return value >>> 0;
  }

  config_write(reg: number, width: number, value: number): void {
    if (reg === 0x04 && width === 2) this.config.set([value & 0xff, value >> 8], 4); // command
  }

  command(): number {
    return this.config[4] | (this.config[5] << 8);
  }

  io_read(port: number, width: number): number | null {
    if (port >= IO0 && port < IO0 + 0x80) return this.bar0_read(port - IO0, width);
    if (port >= IO1 && port < IO1 + 0x40) return this.bar1_read(port - IO1, width);
    return null;
  }

  io_write(port: number, width: number, value: number): boolean {
    if (port >= IO0 && port < IO0 + 0x80) this.bar0_write(port - IO0, width, value);
    else if (port >= IO1 && port < IO1 + 0x40) this.bar1_write(port - IO1, width, value);
    else return false;
    return true;
  }

  // --- BAR0: common cfg and ISR -----------------------------------------------------

  bar0_read(off: number, width: number): number {
    const q = this.queues[this.queue_select];
    switch (off) {
      case 0x00:
        return this.dfselect;
      case 0x04:
        return this.dfselect === 0 ? this.options.features_lo >>> 0 : this.dfselect === 1 ? this.options.features_hi : 0;
      case 0x08:
        return this.gfselect;
      case 0x0c:
        return this.driver_features[this.gfselect] ?? 0;
      case 0x12:
        return this.queues.length;
      case 0x14:
        return this.status;
      case 0x15:
        return this.generation;
      case 0x16:
        return this.queue_select;
      case 0x18:
        return q ? q.size : 0;
      case 0x1c:
        return q ? q.enable : 0;
      case 0x1e:
        return q ? q.notify_off : 0;
      case 0x40: {
        const isr = this.isr; // reading clears it
        this.isr = 0;
        return isr;
      }
    }
    throw new Error(`fake device: read${width * 8} of BAR0+${off.toString(16)}`);
  }

  bar0_write(off: number, width: number, value: number): void {
    const q = this.queues[this.queue_select];
    switch (off) {
      case 0x00:
        this.dfselect = value;
        return;
      case 0x08:
        this.gfselect = value;
        return;
      case 0x0c:
        this.driver_features[this.gfselect] = value >>> 0;
        return;
      case 0x14:
        if (value === 0) return this.reset();
        if (value & 8 && this.options.refuse_features) value &= ~8;
        this.status = value;
        return;
      case 0x16:
        this.queue_select = value;
        return;
      case 0x18:
        q.size = value;
        return;
      case 0x1c:
        q.enable = value;
        return;
      case 0x20:
        q.desc = value;
        return;
      case 0x28:
        q.driver = value;
        return;
      case 0x30:
        q.device = value;
        return;
      case 0x24:
      case 0x2c:
      case 0x34:
        if (value !== 0) throw new Error("fake device: queue address above 4 GiB");
        return;
    }
    throw new Error(`fake device: write${width * 8} of BAR0+${off.toString(16)}`);
  }

  // --- BAR1: device config and notifications ------------------------------------------

  bar1_read(off: number, width: number): number {
    if (off < 6 && width === 1) return this.options.mac[off];
    if (off === 6 && width === 2) return this.link_up ? 1 : 0;
    if (off === 8 && width === 2) return 1;
    if (off === 10 && width === 2) return this.options.mtu;
    throw new Error(`fake device: read${width * 8} of BAR1+${off.toString(16)}`);
  }

  bar1_write(off: number, width: number, value: number): void {
    if (off >= 0x20 && width === 2) {
      const queue = (off - 0x20) / 4;
      if (queue !== value) throw new Error(`fake device: notify of queue ${value} at queue ${queue}'s address`);
      this.notifications[queue]++;
      if (!(this.status & 4)) throw new Error("fake device: notified before DRIVER_OK");
      if (queue === 1) this.process_tx();
      return;
    }
    throw new Error(`fake device: write${width * 8} of BAR1+${off.toString(16)}`);
  }

  // --- guest memory ---------------------------------------------------------------------

  private u16(phys: number): number {
    const b = this.machine.mem(phys, 2);
    return b[0] | (b[1] << 8);
  }

  private u32(phys: number): number {
    const b = this.machine.mem(phys, 4);
    return (b[0] | (b[1] << 8) | (b[2] << 16) | (b[3] << 24)) >>> 0;
  }

  private put16(phys: number, value: number): void {
    this.machine.mem(phys, 2).set([value & 0xff, (value >> 8) & 0xff]);
  }

  private put32(phys: number, value: number): void {
    this.machine.mem(phys, 4).set([value & 0xff, (value >>> 8) & 0xff, (value >>> 16) & 0xff, value >>> 24]);
  }

  /** avail.flags of queue i. */
  avail_flags(i: number): number {
    return this.u16(this.queues[i].driver);
  }

  /** Buffers the driver has offered on queue i that the device has not taken. */
  posted(i: number): number {
    const q = this.queues[i];
    return (this.u16(q.driver + 2) - q.last_avail) & 0xffff;
  }

  /** Take the next available descriptor head of queue i, or -1. */
  private pop_avail(q: FakeQueue): number {
    if (this.u16(q.driver + 2) === q.last_avail) return -1;
    const id = this.u16(q.driver + 4 + 2 * (q.last_avail % q.size));
    q.last_avail = (q.last_avail + 1) & 0xffff;
    return id;
  }

  private push_used(i: number, id: number, len: number): void {
    const q = this.queues[i];
    const slot = q.device + 4 + 8 * (q.used_idx % q.size);
    this.put32(slot, id);
    this.put32(slot + 4, len);
    q.used_idx = (q.used_idx + 1) & 0xffff;
    this.put16(q.device + 2, q.used_idx);
    if (!(this.avail_flags(i) & F_NO_INTERRUPT)) this.interrupt(1);
  }

  interrupt(bits: number): void {
    this.isr |= bits;
    this.machine.raise_irq(IRQ);
  }

  /**
   * A frame arrives from the wire. `used_len` and `num_buffers` override
   * what an honest device would report. Returns false if no buffer was posted.
   */
  deliver(frame: Uint8Array, lie: { used_len?: number; num_buffers?: number } = {}): boolean {
    const q = this.queues[0];
    if (!(this.status & 4) || !q.enable) throw new Error("fake device: not live");
    const id = this.pop_avail(q);
    if (id < 0) {
      this.rx_no_buffer++;
      return false;
    }
    const d = q.desc + 16 * id;
    const addr = this.u32(d);
    const len = this.u32(d + 8);
    const flags = this.u16(d + 12);
    if (!(flags & DESC_F_WRITE) || flags & DESC_F_NEXT) throw new Error("fake device: RX descriptor not a single writable buffer");
    if (HDR + frame.length > len) throw new Error(`fake device: frame of ${frame.length} does not fit a ${len}-byte buffer`);
    const buf = this.machine.mem(addr, len);
    buf.fill(0, 0, HDR);
    const num_buffers = lie.num_buffers ?? 1;
    buf[10] = num_buffers & 0xff;
    buf[11] = num_buffers >> 8;
    buf.set(frame, HDR);
    this.push_used(0, id, lie.used_len ?? HDR + frame.length);
    return true;
  }

  private process_tx(): void {
    const q = this.queues[1];
    for (let head = this.pop_avail(q); head >= 0; head = this.pop_avail(q)) {
      const parts: Uint8Array[] = [];
      for (let id = head, guard = 0; guard < q.size; guard++) {
        const d = q.desc + 16 * id;
        const flags = this.u16(d + 12);
        if (flags & DESC_F_WRITE) throw new Error("fake device: TX descriptor is device-writable");
        parts.push(this.machine.mem(this.u32(d), this.u32(d + 8)).slice());
        if (!(flags & DESC_F_NEXT)) break;
        id = this.u16(d + 14);
      }
      const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
      let at = 0;
      for (const p of parts) {
        all.set(p, at);
        at += p.length;
      }
      this.sent_headers.push(all.slice(0, HDR));
      this.sent.push(all.slice(HDR));
      if (this.hold_tx) this.held_tx.push(head);
      else this.push_used(1, head, 0);
    }
  }

  /** Complete every transmit held back by hold_tx. */
  complete_tx(): void {
    for (const id of this.held_tx) this.push_used(1, id, 0);
    this.held_tx = [];
  }

  /** The link goes up or down: a configuration change interrupt. */
  set_link(up: boolean): void {
    this.link_up = up;
    this.generation = (this.generation + 1) & 0xff;
    this.interrupt(2);
  }
}
