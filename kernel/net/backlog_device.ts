// The common half of the software devices, loopback and veth: frames move
// through a bounded in-memory backlog (the receiving end's), and a transmit
// schedules the receiving end's NAPI instead of raising an interrupt. A full
// backlog drops the frame and counts it, as Linux does.
import type { DeviceCapabilities, Frame } from "../../net/iface/device";
import { PacketQueue } from "../../net/storage/packet_queue";
import { softnet_data } from "./napi";
import { NetDevice } from "./netdevice";

/** Frames a backlog holds (Linux's netdev_max_backlog is 1000; these are small machines). */
export const BACKLOG_PACKETS = 256;
/** The most memory a backlog's frames take. */
const BACKLOG_BYTES = 256 * 1024;

/** A device with no hardware: what it sends lands in a backlog in memory. */
export abstract class BacklogDevice extends NetDevice {
  readonly backlog: PacketQueue;
  private readonly rx_frame: Frame;
  private readonly tx_frame: Frame;
  /** Where a transmit goes when the receiver's backlog is full. */
  private readonly discard: Uint8Array;
  private rx_held = false;
  private tx_target: BacklogDevice | null = null;
  /** The last transmit found the receiver's backlog full. */
  private tx_overflow = false;

  protected constructor(name: string, mac: number, capabilities: DeviceCapabilities, { loopback = false } = {}) {
    super(name, mac, capabilities, { loopback, masks_irq: false });
    // Room for a quarter of the frames at their largest, at most BACKLOG_BYTES (lo's frames can be 16 KiB).
    this.backlog = new PacketQueue(BACKLOG_PACKETS, Math.min(BACKLOG_BYTES, (BACKLOG_PACKETS * capabilities.max_transmission_unit) / 4));
    this.discard = new Uint8Array(capabilities.max_transmission_unit);
    this.rx_frame = { buffer: this.discard, offset: 0, length: 0 };
    this.tx_frame = { buffer: this.discard, offset: 0, length: 0 };
  }

  /** The device whose backlog our transmits land in (ourselves, or the peer); null when unplugged. */
  protected abstract receiver(): BacklogDevice | null;

  receive(_now_us: number): Frame | null {
    if (this.rx_held) {
      // The previous frame was valid until now.
      this.backlog.dequeue();
      this.rx_held = false;
    }
    if (this.backlog.is_empty()) return null;
    this.rx_frame.buffer = this.backlog.payload;
    this.rx_frame.offset = this.backlog.peek_offset();
    this.rx_frame.length = this.backlog.peek_len();
    this.rx_held = true;
    this.stats.rx_packets++;
    this.stats.rx_bytes += this.rx_frame.length;
    return this.rx_frame;
  }

  transmit(_now_us: number, length: number): Frame | null {
    if (length > this.capabilities.max_transmission_unit) return null;
    const target = this.up ? this.receiver() : null;
    const receiving = target !== null && target.up;
    const at = receiving ? target.backlog.enqueue(length, 0, 0) : -1;
    // Only a full backlog is softnet's drop; a peer that is down or gone is this device's.
    this.tx_overflow = receiving && at < 0;
    this.tx_target = at < 0 ? null : target;
    this.tx_frame.buffer = at < 0 ? this.discard : target!.backlog.payload;
    this.tx_frame.offset = at < 0 ? 0 : at;
    this.tx_frame.length = length;
    return this.tx_frame;
  }

  transmit_commit(_now_us: number): void {
    const target = this.tx_target;
    if (target === null) {
      this.stats.tx_dropped++;
      if (this.tx_overflow) softnet_data.stat.dropped++;
      return;
    }
    this.stats.tx_packets++;
    this.stats.tx_bytes += this.tx_frame.length;
    target.schedule_rx();
  }

  /** A frame arrived in our backlog: our "interrupt". */
  schedule_rx(): void {
    this.rx_interrupt();
  }

  protected rx_pending(): boolean {
    // The held frame was already handed out; anything behind it is pending.
    return this.backlog.len() > (this.rx_held ? 1 : 0);
  }

  /** Process everything waiting in the backlog now, outside NAPI (the device is about to go). */
  deliver_backlog(): void {
    while (this.up && this.rx_pending()) this.poll_napi(BACKLOG_PACKETS);
  }

  /** Empty the backlog, counting what was in it. */
  protected flush_rx(): void {
    this.stats.rx_dropped += this.backlog.len();
    while (!this.backlog.is_empty()) this.backlog.dequeue();
    this.rx_held = false;
  }

  // No hardware interrupt to mask (masks_irq is false): scheduling is the interrupt.
  protected irq_disable(): void {}
  protected irq_enable(): void {}
}
