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
import { tapped_device, tapping } from "./tap";
import { tracing, trace_pop, trace_push, TRACE_STACK } from "../lib/trace";

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

/** How a device is built. */
export interface NetDeviceFlags {
  /** lo: the FIB sends the namespace's traffic to its own addresses through it. */
  loopback?: boolean;
  /**
   * Whether NAPI masks the device's receive interrupt while it polls
   * (irq_disable when scheduled, irq_enable when done): true for most NICs.
   * False for one that keeps it on (the NE2000, whose top half must go on
   * emptying the card) or has none (a backlog device): then the poll does
   * not call the two at all, which in the guest's interpreter costs more
   * than their empty bodies.
   */
  masks_irq?: boolean;
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
  /** lo: the FIB sends the namespace's traffic to its own addresses through it. */
  readonly loopback: boolean;
  /** How its received packets are processed. */
  rx_mode: RxMode = "napi";
  /** When its stack next needs a poll without a packet arriving. */
  readonly poll_deadline = new PollDeadline(new PollGeneration());
  /**
   * Set by the last poll_napi(): there is more to do at once (the budget ran
   * out with frames perhaps left, or the stack's deadline is already due).
   */
  poll_again = false;

  readonly capabilities: DeviceCapabilities;
  /** The largest frame the hardware takes: the ceiling for set_mtu(). */
  readonly max_frame: number;
  /** NAPI masks the device's receive interrupt while it polls (see NetDeviceFlags). */
  private readonly masks_irq: boolean;

  protected constructor(
    /** eth0, lo, ...; rename() changes it. */
    public name: string,
    readonly mac: number,
    capabilities: DeviceCapabilities,
    { loopback = false, masks_irq = true }: NetDeviceFlags = {},
  ) {
    // A copy: set_mtu() changes it per device.
    this.capabilities = { ...capabilities };
    this.max_frame = capabilities.max_transmission_unit;
    this.loopback = loopback;
    this.masks_irq = masks_irq;
    // The loopback's frames come straight back: there is no neighbour to ask with ARP.
    this.iface = new Interface({ hardware_addr: mac, noarp: loopback, link: this.capabilities });
    this.iface.up = false;
    this.napi = new NapiStruct(name, this.napi_poll);
  }

  /** Administratively up (ip link set dev X up): the FIB routes through it only then. */
  get up(): boolean {
    return this.iface.up;
  }

  set up(up: boolean) {
    this.iface.up = up;
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

  /** The sockets of its namespace. */
  get sockets(): SocketSet {
    return this.netns.sockets;
  }

  /** Give the device a new name (a returning device whose name was taken). */
  rename(name: string): void {
    this.name = name;
    this.napi.dev_name = name;
  }

  /** Linux's ndo_open: the queues start empty and the device may interrupt again. */
  open(): void {
    this.flush_rx();
    this.irq_enable();
  }

  /** Linux's ndo_stop: no more interrupts, and what the device had received is dropped. */
  stop(): void {
    this.irq_disable();
    this.flush_rx();
  }

  // --- the hardware half, per driver ---------------------------------------
  abstract receive(now_us: number): Frame | null;
  abstract transmit(now_us: number, length: number): Frame | null;
  abstract transmit_commit(now_us: number, more?: boolean): void;
  /** Stop the device from raising receive interrupts. */
  protected abstract irq_disable(): void;
  /** Let it raise them again. */
  protected abstract irq_enable(): void;
  /** Whether received frames are waiting (the re-check after irq_enable). */
  protected abstract rx_pending(): boolean;
  /** Drop every received frame still waiting, counting them as rx_dropped. */
  protected abstract flush_rx(): void;

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
   * poll_ingress_single, one poll_egress, then publish poll_at. Returns the
   * frames taken; sets poll_again when there is more to do at once: the
   * budget ran out, or the stack's next deadline has already come (a timer
   * that is due needs no trip through netns_poll), unless the device is full.
   * `now_us`: the time, if the caller has just read the clock.
   */
  poll_napi(budget: number, now_us = hal.now_us()): number {
    if (!this.iface.is_up) {
      this.poll_again = false;
      return 0;
    }
    const iface = this.iface;
    const sockets = this.netns.sockets;
    // With a packet tap open (tcpdump), the stack talks to a stand-in that copies the frames to it.
    const device: Device = tapping ? tapped_device(this) : this;
    let work_done = 0;
    if (tracing) trace_push(TRACE_STACK);
    while (work_done < budget && iface.poll_ingress_single(now_us, device, sockets)) work_done++;
    iface.poll_egress(now_us, device, sockets);
    const poll_at = iface.poll_at(now_us, sockets);
    if (tracing) trace_pop();
    const due = poll_at !== null && poll_at <= now_us;
    this.poll_again = work_done >= budget || (due && !iface.egress_blocked);
    // netns_poll keeps time for deadlines to come. What is due already needs
    // no timer: NAPI polls again at once, or (device full) the driver's
    // transmit-complete interrupt schedules the poll.
    if (this.poll_deadline.publish(due ? null : poll_at)) this.netns.deadline_changed();
    return work_done;
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

  /**
   * The driver's transmit-complete interrupt: output that found the device
   * full (poll_egress stopped) can go now, so poll at once rather than wait
   * for netns_poll.
   */
  protected tx_interrupt(): void {
    if (this.iface.egress_blocked) this.schedule_poll();
  }

  /** Mask the device and put its NAPI instance on the poll list (unless it already is). */
  schedule_poll(): void {
    if (this.napi.schedule_prep()) {
      if (this.masks_irq) this.irq_disable();
      __napi_schedule(this.napi);
    }
  }

  /** The NAPI poll function: Linux's contract, returns the work done. (A field, so NapiStruct calls it with no wrapper between.) */
  private readonly napi_poll = (_napi: NapiStruct, budget: number, now_us: number): number => {
    const work_done = this.poll_napi(budget, now_us);
    if (this.poll_again) return budget;
    if (napi_complete_done(this.napi, work_done)) {
      if (this.masks_irq) this.irq_enable();
      // A frame that arrived after the last receive() but before the unmask
      // raised no interrupt: look once more so it is never stranded.
      if (this.rx_pending()) this.schedule_poll();
    }
    return work_done;
  };
}
