// A NIC for host tests of the net core: its wire is two arrays, the frames
// it will receive and the frames it sent, and its interrupt schedules NAPI
// as a driver's does.
import { NetDevice } from "../../kernel/net/netdevice";
import type { Frame } from "../../net/iface/device";

/** A NIC whose wire is two arrays: frames to receive, and the frames it sent. */
export class FakeNic extends NetDevice {
  readonly ring: Uint8Array[] = [];
  readonly sent: Uint8Array[] = [];
  irq_enabled = true;
  private readonly rx: Frame = { buffer: new Uint8Array(0), offset: 0, length: 0 };
  private readonly tx: Frame = { buffer: new Uint8Array(1514), offset: 0, length: 0 };

  constructor(name: string, mac_address = 0x020000000001) {
    super(name, mac_address, { max_transmission_unit: 1514, max_burst_size: 8, checksum_rx_offload: false, checksum_tx_offload: false });
    this.up = true;
  }
  receive(): Frame | null {
    const next = this.ring.shift();
    if (!next) return null;
    this.rx.buffer = next;
    this.rx.length = next.length;
    return this.rx;
  }
  transmit(_now: number, length: number): Frame {
    this.tx.length = length;
    return this.tx;
  }
  transmit_commit(): void {
    this.sent.push(this.tx.buffer.slice(0, this.tx.length));
  }
  protected irq_disable(): void {
    this.irq_enabled = false;
  }
  protected irq_enable(): void {
    this.irq_enabled = true;
  }
  protected rx_pending(): boolean {
    return this.ring.length > 0;
  }
  protected flush_rx(): void {
    this.ring.length = 0;
  }
  /** Frames arrive; the device interrupts (once) if it may. */
  arrive(...frames: Uint8Array[]): void {
    this.ring.push(...frames);
    if (this.irq_enabled) this.rx_interrupt();
  }
}
