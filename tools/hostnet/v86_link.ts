// The host end of the emulated NIC's wire: a net/ Device over v86's bus.
// Frames the guest sends arrive as "net0-send" (a view into the NIC's
// memory, so each is copied before it is kept); frames for the guest go out
// as "net0-receive".
import type { Device, DeviceCapabilities, Frame } from "../../net/iface/device";
import { NO_BYTES } from "../../net/wire/bytes";

const MAX_FRAME = 65536 + 14;

export class V86Link implements Device {
  readonly capabilities: DeviceCapabilities;
  private readonly inbox: Uint8Array[] = [];
  private readonly rx_frame: Frame = { buffer: NO_BYTES, offset: 0, length: 0 };
  private readonly tx_frame: Frame = { buffer: new Uint8Array(MAX_FRAME), offset: 0, length: 0 };
  /** Frames from the guest not yet taken, at most this many (then dropped and counted). */
  inbox_limit = 4096;
  inbox_dropped = 0;
  /** Every frame seen in each direction, for captures. */
  on_frame: ((direction: "to_guest" | "from_guest", frame: Uint8Array) => void) | null = null;
  /** Called when the guest sent something, so the owner can poll. */
  on_receive: (() => void) | null = null;

  constructor(
    private readonly bus: {
      send(event: string, data: unknown): void;
      register(event: string, fn: (data: Uint8Array) => void, self: unknown): void;
    },
    mtu = 1500,
  ) {
    this.capabilities = { max_transmission_unit: mtu + 14, max_burst_size: 64, checksum_rx_offload: false, checksum_tx_offload: false };
    bus.register("net0-send", (data: Uint8Array) => this.from_guest(data), this);
  }

  private from_guest(data: Uint8Array): void {
    if (this.inbox.length >= this.inbox_limit) {
      this.inbox_dropped++;
      return;
    }
    const copy = data.slice();
    this.on_frame?.("from_guest", copy);
    this.inbox.push(copy);
    this.on_receive?.();
  }

  /** Put raw bytes on the wire towards the guest (tests use it for hostile frames). */
  inject(frame: Uint8Array): void {
    this.on_frame?.("to_guest", frame);
    this.bus.send("net0-receive", frame);
  }

  receive(_now_us: number): Frame | null {
    const next = this.inbox.shift();
    if (!next) return null;
    this.rx_frame.buffer = next;
    this.rx_frame.length = next.length;
    return this.rx_frame;
  }

  transmit(_now_us: number, length: number): Frame | null {
    if (length > this.tx_frame.buffer.length) return null;
    this.tx_frame.length = length;
    return this.tx_frame;
  }

  transmit_commit(_now_us: number): void {
    this.inject(this.tx_frame.buffer.slice(0, this.tx_frame.length));
  }
}
