// A network device as the kernel sees it (Linux's struct net_device): a name,
// a MAC, counters, an Interface from the stack, and the NAPI instance that
// moves its packets. Drivers (NE2000, virtio-net, loopback, veth) extend it
// and implement the hardware half: the stack's Device (receive / transmit)
// plus masking their own interrupts and saying whether frames are waiting.
import type { Device, DeviceCapabilities, Frame } from "../../net/iface/device";
import { Interface } from "../../net/iface/interface";
import type { SocketSet } from "../../net/socket/socket_set";
import { hal } from "../hal/current";
import { NapiStruct, napi_complete_done, __napi_schedule } from "./napi";
import { PollDeadline, PollGeneration } from "./poll_deadline";

const ETHERNET_HEADER = 14;

/**
 * What a device needs of the namespace it is in; NetNamespace implements it
 * (netns.ts), so the device never imports the namespace.
 */
export interface DeviceNamespace {
  readonly name: string;
  /** The sockets the device's stack delivers to and sends from. */
  readonly sockets: SocketSet;
  /** The change counter the namespace's netns_poll watches. */
  readonly poll_generation: PollGeneration;
  /** A device's poll deadline changed: netns_poll may have to choose again. */
  deadline_changed(): void;
}

/** The counters of `ip -s link` and /proc/net/dev. */
export class NetDeviceStats {
  rx_packets = 0;
  rx_bytes = 0;
  tx_packets = 0;
  tx_bytes = 0;
  rx_dropped = 0;
  tx_dropped = 0;
  rx_errors = 0;
  tx_errors = 0;
  /** Interrupts this device raised (and claimed). */
  irqs = 0;
}

/**
 * How received packets are processed: "napi" (the interrupt only schedules a
 * bounded poll) or "interrupt" (all work in the IRQ handler, no budget; kept
 * to measure what NAPI buys).
 */
export type RxMode = "napi" | "interrupt";

/** What one poll_napi() did. */
export interface PollResult {
  /** Frames taken from the device. */
  work_done: number;
  /** The budget ran out with frames possibly left: poll again. */
  poll_again: boolean;
}

/**
 * A network device (Linux's struct net_device). Drivers extend it with the
 * hardware half; register_netdev() (dev.ts) puts it in a namespace.
 */
export abstract class NetDevice implements Device {
  /** Packet, byte, error and IRQ counters. */
  readonly stats = new NetDeviceStats();
  /** The NAPI instance that moves its received packets. */
  readonly napi: NapiStruct;
  /** The stack's interface: addresses, ARP, routes, the poll functions. */
  iface: Interface;
  /** The namespace it is in; set by register_netdev() and dev_change_net_namespace(). */
  netns!: DeviceNamespace;
  /** Administratively up (ip link set dev X up). */
  up = false;
  /** How its received packets are processed. */
  rx_mode: RxMode = "napi";
  /** When its stack next needs a poll without a packet arriving. */
  readonly poll_deadline = new PollDeadline(new PollGeneration());

  readonly capabilities: DeviceCapabilities;
  /** The largest frame the hardware takes: the ceiling for set_mtu(). */
  readonly max_frame: number;

  protected constructor(
    readonly name: string,
    readonly mac: number,
    capabilities: DeviceCapabilities,
  ) {
    // A copy: set_mtu() changes it per device.
    this.capabilities = { ...capabilities };
    this.max_frame = capabilities.max_transmission_unit;
    this.iface = new Interface({ hardware_addr: mac });
    this.napi = new NapiStruct(name, (_napi, budget) => this.napi_poll(budget));
  }

  /** The IP MTU: the largest frame less the Ethernet header. */
  get mtu(): number {
    return this.capabilities.max_transmission_unit - ETHERNET_HEADER;
  }

  /** ip link set dev X mtu N; false if the hardware cannot carry it. */
  set_mtu(mtu: number): boolean {
    if (!(mtu >= 68) || mtu + ETHERNET_HEADER > this.max_frame) return false;
    this.capabilities.max_transmission_unit = mtu + ETHERNET_HEADER;
    return true;
  }

  get sockets(): SocketSet {
    return this.netns.sockets;
  }

  // --- the hardware half, per driver ---------------------------------------
  abstract receive(now_us: number): Frame | null;
  abstract transmit(now_us: number, length: number): Frame | null;
  abstract transmit_commit(now_us: number): void;
  /** Stop the device from raising receive interrupts. */
  protected abstract irq_disable(): void;
  /** Let it raise them again. */
  protected abstract irq_enable(): void;
  /** Whether received frames are waiting (the re-check after irq_enable). */
  protected abstract rx_pending(): boolean;

  /**
   * Receive filter beyond our own address and broadcast: all multicast,
   * and promiscuous. Returns false if the hardware cannot do it.
   */
  set_rx_mode(_allmulti: boolean, _promiscuous: boolean): boolean {
    return false;
  }
  allmulti = false;
  promiscuous = false;

  /**
   * The bounded poll of DragonOS's poll_napi(): up to `budget` frames through
   * poll_ingress_single, one poll_egress, then publish poll_at.
   */
  poll_napi(budget: number): PollResult {
    const now = hal.now_us();
    let work_done = 0;
    while (work_done < budget && this.iface.poll_ingress_single(now, this, this.sockets)) work_done++;
    this.iface.poll_egress(now, this, this.sockets);
    if (this.poll_deadline.publish(this.iface.poll_at(now, this.sockets))) this.netns.deadline_changed();
    return { work_done, poll_again: work_done >= budget };
  }

  /**
   * The driver's interrupt, once it has acknowledged the device: in NAPI
   * mode mask the device and schedule a poll; in interrupt mode do it all now.
   */
  protected rx_interrupt(): void {
    this.stats.irqs++;
    if (this.rx_mode === "interrupt") {
      this.poll_napi(Infinity);
      return;
    }
    this.schedule_poll();
  }

  /** Mask the device and put its NAPI instance on the poll list (unless it already is). */
  schedule_poll(): void {
    if (this.napi.schedule_prep()) {
      this.irq_disable();
      __napi_schedule(this.napi);
    }
  }

  /** The NAPI poll function: Linux's contract, returns the work done. */
  private napi_poll(budget: number): number {
    const result = this.poll_napi(budget);
    if (result.poll_again) return budget;
    if (napi_complete_done(this.napi, result.work_done)) {
      this.irq_enable();
      // A frame that arrived after the last receive() but before the unmask
      // raised no interrupt: look once more so it is never stranded.
      if (this.rx_pending()) this.schedule_poll();
    }
    return result.work_done;
  }
}
