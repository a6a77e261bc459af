// The simulated machine with one fake PCI function on it: config mechanism #1
// (ports 0xcf8/0xcfc) for bus 0, the function's slot, and its I/O BARs, which
// the fake handles. The fakes of the driver tests (virtio_fake.ts,
// ne2000_fake.ts) sit on it.
import { SimHal } from "../../kernel/hal/sim";

/** What a fake PCI function answers: its config space, and the ports of its I/O BARs. */
export interface FakeFunction {
  config_read(reg: number, width: number): number;
  config_write(reg: number, width: number, value: number): void;
  /** The value at one of its ports, or null if the port is none of its. */
  io_read(port: number, width: number): number | null;
  /** Write one of its ports; false if the port is none of its. */
  io_write(port: number, width: number, value: number): boolean;
}

export abstract class PciMachine extends SimHal {
  private cf8 = 0;
  /** The fake function, in the slot of the same name, function 0. */
  protected abstract readonly function: FakeFunction;

  constructor(readonly slot: number) {
    super();
  }

  /** The config register mechanism #1 selects, or -1 when it is not the fake's. */
  private config_selected(): number {
    const enabled = (this.cf8 & 0x80000000) !== 0;
    const bus = (this.cf8 >>> 16) & 0xff;
    const slot = (this.cf8 >>> 11) & 0x1f;
    const func = (this.cf8 >>> 8) & 7;
    return enabled && bus === 0 && slot === this.slot && func === 0 ? this.cf8 & 0xfc : -1;
  }

  private read(port: number, width: number): number | null {
    if (port === 0xcf8 && width === 4) return this.cf8;
    if (port >= 0xcfc && port < 0xd00) {
      const reg = this.config_selected();
      if (reg < 0) return 0xffffffff >>> (32 - 8 * width);
      return this.function.config_read(reg + (port - 0xcfc), width);
    }
    return this.function.io_read(port, width);
  }

  private write(port: number, width: number, value: number): boolean {
    if (port === 0xcf8 && width === 4) this.cf8 = value >>> 0;
    else if (port >= 0xcfc && port < 0xd00) {
      const reg = this.config_selected();
      if (reg >= 0) this.function.config_write(reg + (port - 0xcfc), width, value);
    } else return this.function.io_write(port, width, value);
    return true;
  }

  inb(port: number): number {
    return this.read(port, 1) ?? super.inb(port);
  }
  inw(port: number): number {
    return this.read(port, 2) ?? super.inw(port);
  }
  inl(port: number): number {
    return this.read(port, 4) ?? super.inl(port);
  }
  outb(port: number, value: number): void {
    if (!this.write(port, 1, value)) super.outb(port, value);
  }
  outw(port: number, value: number): void {
    if (!this.write(port, 2, value)) super.outw(port, value);
  }
  outl(port: number, value: number): void {
    if (!this.write(port, 4, value)) super.outl(port, value);
  }
}
