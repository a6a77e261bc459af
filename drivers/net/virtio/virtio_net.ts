// virtio-net (§5.1) on the modern PCI transport: receive queue 0, transmit
// queue 1, no offloads, INTx interrupts, NAPI polling.
//
// Receive: every buffer of the RX queue is posted at start. The poll takes
// the buffers the device has filled a burst at a time. The ones the stack
// is done with are posted again (Linux's try_fill_recv) when a poll ends
// with more than half a poll's weight of them waiting, as virtnet_receive
// does (and, for the few large buffers of a 64 KiB MTU, more than an eighth
// of the ring): one refill and one notification per batch, not per poll.
// The device (which drops frames when it finds no buffer) lacks at most
// those and the current poll's. Each buffer is a 12-byte struct
// virtio_net_hdr followed by room for one frame of the device's MTU.
// Transmit: a ring of preallocated buffers whose header stays zero (no
// checksum or segmentation offload). Sent buffers are taken back in
// transmit() when the free ones run out (Linux's virtio-net frees sent
// buffers in start_xmit too), a whole ring's worth in one look, not in
// every poll.
import { hal } from "../../../kernel/hal/current";
import type { DmaBuffer } from "../../../kernel/hal/hal";
import { free_irq, IRQ_HANDLED, IRQ_NONE, IrqHandler, IrqReturn, request_irq } from "../../../kernel/irq/irq";
import { describe_error } from "../../../kernel/lib/error";
import { pr_info, pr_warn } from "../../../kernel/log";
import type { Frame } from "../../../net/iface/device";
import { mac_to_string } from "../../../net/wire/address";
import { PCI_COMMAND_IO, PCI_COMMAND_MASTER, PCI_COMMAND_MEMORY } from "../../pci/config";
import { PciDevice, pci_enable_device, pci_slot_name } from "../../pci/device";
import { NetDevice } from "../../../kernel/net/netdevice";
import { VirtioPciTransport, VirtioProbeError, VIRTIO_PCI_ISR_CONFIG, VIRTIO_PCI_ISR_QUEUE } from "./pci_transport";
import {
  Features,
  VIRTIO_CONFIG_S_ACKNOWLEDGE,
  VIRTIO_CONFIG_S_DRIVER,
  VIRTIO_CONFIG_S_DRIVER_OK,
  VIRTIO_CONFIG_S_FEATURES_OK,
  VIRTIO_F_VERSION_1,
} from "./virtio_config";
import { Virtqueue, VIRTQ_DESC_F_WRITE } from "./virtqueue";
import { tracing, trace_pop, trace_push, TRACE_DRIVER_RX, TRACE_TX } from "../../../kernel/lib/trace";

export const VIRTIO_VENDOR_ID = 0x1af4;
export const VIRTIO_NET_DEVICE_ID_MODERN = 0x1041; // 0x1040 + device type 1 (§4.1.2)
export const VIRTIO_NET_DEVICE_ID_TRANSITIONAL = 0x1000;

// Feature bits (§5.1.3). Never offered back: VIRTIO_NET_F_MRG_RXBUF (15)
// and VIRTIO_RING_F_EVENT_IDX (29), whose rings and headers this driver does not speak.
export const VIRTIO_NET_F_MTU = 3;
export const VIRTIO_NET_F_MAC = 5;
export const VIRTIO_NET_F_STATUS = 16;
const DRIVER_FEATURES = Features.of([VIRTIO_F_VERSION_1, VIRTIO_NET_F_MAC, VIRTIO_NET_F_MTU, VIRTIO_NET_F_STATUS]);

// struct virtio_net_config (§5.1.4)
const CONFIG_MAC = 0;
const CONFIG_STATUS = 6;
const CONFIG_MTU = 10;
const VIRTIO_NET_S_LINK_UP = 1;

/** struct virtio_net_hdr with num_buffers, as VERSION_1 always has it (§5.1.6). */
export const VIRTIO_NET_HDR_LEN = 12;
const HDR_NUM_BUFFERS = 10;
const ETH_HLEN = 14;
const ETH_DATA_LEN = 1500;
const MIN_MTU = 68; // §5.1.4.1: the device offers at least this

export const RX_QUEUE = 0;
export const TX_QUEUE = 1;
const RX_RING_MAX = 256;
const TX_RING_MAX = 64;
/** Receive buffers share at most this much DMA memory (64 KiB MTUs mean fewer buffers). */
export const RX_DMA_BUDGET = 4 * 1024 * 1024;
const TX_DMA_BUDGET = 1024 * 1024;
const CONFIG_RETRIES = 10;

/** The largest power of two <= n (queue sizes must be powers of two, §2.6). */
function pow2_floor(n: number): number {
  let p = 1;
  while (p * 2 <= n) p *= 2;
  return p;
}

/** A virtqueue plus one DMA buffer of `stride` bytes per descriptor. */
class BufferRing {
  readonly vq: Virtqueue;
  readonly buffers: DmaBuffer;

  constructor(
    index: number,
    size: number,
    readonly stride: number,
    flags: number,
    dma: DmaBuffer[],
  ) {
    this.vq = new Virtqueue(index, size);
    dma.push(this.vq.memory);
    this.buffers = hal.dma_alloc(size * stride);
    dma.push(this.buffers);
    this.vq.set_buffers(this.buffers.phys, stride, flags);
  }
}

/** A ring of `wanted` buffers of `stride` bytes, fitted to the device's maximum and a DMA budget. */
function ring_size(transport: VirtioPciTransport, index: number, wanted: number, stride: number, budget: number): number {
  const max = transport.queue_max_size(index);
  if (max === 0) throw new VirtioProbeError(`queue ${index} is not available`);
  return pow2_floor(Math.max(1, Math.min(max, wanted, Math.floor(budget / stride))));
}

export class VirtioNet extends NetDevice {
  private readonly rx_frame: Frame;
  private readonly tx_frame: Frame;
  /** The RX buffer the last receive() handed out, done with at the next call; -1 = none. */
  private rx_held = -1;
  /** RX buffers taken from the used ring, not yet received: ids and lengths at [rx_next, rx_taken). */
  private readonly rx_ids: Uint32Array;
  /** Buffers in the receive ring (a field: receive() checks every id against it). */
  private readonly rx_ring_slots: number;
  private readonly rx_lens: Uint32Array;
  private rx_next = 0;
  private rx_taken = 0;
  /** RX buffers the stack is done with, posted again when a poll ends with a batch of them. */
  private readonly rx_done: Uint16Array;
  private rx_done_count = 0;
  /** Post done buffers again once more than this many wait: half the NAPI weight, at most an eighth of the ring. */
  private readonly rx_refill_after: number;
  /** Free TX buffers, a stack of descriptor ids. */
  private readonly tx_free: Uint16Array;
  private tx_free_count: number;
  /** TX completions interrupt (only while output waits for buffers). */
  private tx_irq = false;
  /** 1 while the device owns TX buffer i: a completion for a free buffer is an error. */
  private readonly tx_in_flight: Uint8Array;
  /** What reclaim_tx() takes from the used ring: ids, and lengths (unused). */
  private readonly tx_ids: Uint32Array;
  private readonly tx_lens: Uint32Array;
  /** TX buffers were posted with `more` (xmit_more) since the device was last notified. */
  private tx_kick_pending = false;
  /** The TX buffer transmit() handed out and transmit_commit() will post; -1 = none. */
  private tx_pending = -1;
  link_up = true;
  /** Frames whose header had num_buffers != 1 (see receive()). */
  rx_bad_num_buffers = 0;

  private constructor(
    name: string,
    mac: number,
    readonly device_mtu: number,
    readonly features: Features,
    private readonly transport: VirtioPciTransport,
    private readonly rx: BufferRing,
    private readonly tx: BufferRing,
  ) {
    super(name, mac, {
      max_transmission_unit: ETH_HLEN + device_mtu,
      max_burst_size: tx.vq.size,
      checksum_rx_offload: false,
      checksum_tx_offload: false,
      gro: true,
    });
    this.rx_frame = { buffer: rx.buffers.bytes, offset: 0, length: 0 };
    this.tx_frame = { buffer: tx.buffers.bytes, offset: 0, length: 0 };
    this.tx_free = new Uint16Array(tx.vq.size);
    for (let id = 0; id < tx.vq.size; id++) this.tx_free[id] = tx.vq.size - 1 - id;
    this.tx_free_count = tx.vq.size;
    this.tx_in_flight = new Uint8Array(tx.vq.size);
    this.tx_ids = new Uint32Array(tx.vq.size);
    this.tx_lens = new Uint32Array(tx.vq.size);
    this.rx_ring_slots = rx.vq.size;
    this.rx_ids = new Uint32Array(rx.vq.size);
    this.rx_lens = new Uint32Array(rx.vq.size);
    this.rx_done = new Uint16Array(rx.vq.size);
    this.rx_refill_after = Math.min(this.napi.weight >> 1, rx.vq.size >> 3);
  }

  /** Bytes of one receive buffer: header plus the largest frame. */
  get rx_buffer_len(): number {
    return VIRTIO_NET_HDR_LEN + ETH_HLEN + this.device_mtu;
  }

  get rx_ring_size(): number {
    return this.rx.vq.size;
  }

  get tx_ring_size(): number {
    return this.tx.vq.size;
  }

  /** The PCI ids this driver takes; a transitional one must also have the modern capabilities. */
  static matches(pci: PciDevice): boolean {
    const id = pci.device_id;
    return pci.vendor_id === VIRTIO_VENDOR_ID && (id === VIRTIO_NET_DEVICE_ID_MODERN || id === VIRTIO_NET_DEVICE_ID_TRANSITIONAL);
  }

  /**
   * Probe a virtio-net PCI function: the initialization of §3.1.1, then
   * start receiving. Every way it can fail is logged and returns null, with
   * the device reset, marked FAILED and its DMA memory freed.
   */
  static probe(pci: PciDevice, name: string): VirtioNet | null {
    const where = `${name}: virtio-net ${pci_slot_name(pci)}`;
    if (!VirtioNet.matches(pci)) {
      pr_warn(`${where}: ${pci.vendor_id.toString(16)}:${pci.device_id.toString(16)} is not a virtio-net device, skipped`);
      return null;
    }
    let transport: VirtioPciTransport | null = null;
    let handler: IrqHandler | null = null;
    const dma: DmaBuffer[] = [];
    try {
      if (pci.irq < 0) throw new VirtioProbeError("no IRQ routed to its INTx pin");
      transport = VirtioPciTransport.open(pci);
      const uses_io = pci.bars.some((b) => b.kind === "io");
      const uses_mem = pci.bars.some((b) => b.kind === "mem");
      pci_enable_device(pci, PCI_COMMAND_MASTER | (uses_io ? PCI_COMMAND_IO : 0) | (uses_mem ? PCI_COMMAND_MEMORY : 0));
      const live = VirtioNet.initialize(name, transport, dma);
      handler = live.interrupt;
      request_irq(pci.irq, handler, name, { shared: true, threaded: false });
      live.start();
      pr_info(
        `${where}: ${transport.describe()} regs, irq ${pci.irq}, mac ${mac_to_string(live.mac)}, mtu ${live.device_mtu}, ` +
          `rx ${live.rx_ring_size}x${live.rx_buffer_len} B, tx ${live.tx_ring_size}, features ${live.features}, ` +
          `link ${live.link_up ? "up" : "down"}`,
      );
      return live;
    } catch (error) {
      // A VirtioProbeError is a reason; anything else (no DMA memory, a bug) gets its stack.
      pr_warn(`${where}: ${error instanceof VirtioProbeError ? error.message : describe_error(error)}; device not used`);
      if (transport) transport.fail();
      if (handler) free_irq(pci.irq, handler);
      for (const buffer of dma) hal.dma_free(buffer);
      return null;
    }
  }

  /** §3.1.1 steps 1-7: reset, status, features, configuration, queues. */
  private static initialize(name: string, t: VirtioPciTransport, dma: DmaBuffer[]): VirtioNet {
    t.reset();
    t.add_status(VIRTIO_CONFIG_S_ACKNOWLEDGE);
    t.add_status(VIRTIO_CONFIG_S_DRIVER);

    const offered = t.device_features();
    if (!offered.has(VIRTIO_F_VERSION_1)) throw new VirtioProbeError(`features ${offered}: no VIRTIO_F_VERSION_1 (legacy-only device)`);
    const features = offered.and(DRIVER_FEATURES);
    t.set_driver_features(features);
    t.add_status(VIRTIO_CONFIG_S_FEATURES_OK);
    // The device may refuse the subset: FEATURES_OK must still read back (§3.1.1 step 6).
    if (!(t.status() & VIRTIO_CONFIG_S_FEATURES_OK)) throw new VirtioProbeError(`device refused features ${features}`);

    // Each feature makes the config reach further: mac[6], status at 6, mtu at 10.
    const config_needed = features.has(VIRTIO_NET_F_MTU)
      ? CONFIG_MTU + 2
      : features.has(VIRTIO_NET_F_STATUS)
        ? CONFIG_STATUS + 2
        : features.has(VIRTIO_NET_F_MAC)
          ? 6
          : 0;
    const config = t.device;
    if (config_needed > (config ? config.length : 0))
      throw new VirtioProbeError(`device configuration shorter than the ${config_needed} bytes its features need`);
    let mac = 0;
    let mtu = ETH_DATA_LEN;
    // A multi-byte read is consistent only if config_generation did not move (§2.4.1).
    for (let attempt = 0; ; attempt++) {
      if (attempt === CONFIG_RETRIES) throw new VirtioProbeError("device configuration never stable");
      const generation = t.config_generation();
      if (config && features.has(VIRTIO_NET_F_MAC)) {
        mac = 0;
        for (let i = 0; i < 6; i++) mac = mac * 256 + config.read8(CONFIG_MAC + i);
      }
      if (config && features.has(VIRTIO_NET_F_MTU)) mtu = config.read16(CONFIG_MTU);
      if (t.config_generation() === generation) break;
    }
    if (!features.has(VIRTIO_NET_F_MAC)) {
      // §5.1.5: without a MAC from the device, the driver makes one up (locally administered).
      mac = 0x020000000000 + Math.floor(Math.random() * 0x100000000);
      pr_warn(`${name}: virtio-net: device has no MAC, using random ${mac_to_string(mac)}`);
    }
    if (mtu < MIN_MTU) throw new VirtioProbeError(`device mtu ${mtu} is below ${MIN_MTU}`);

    if (t.num_queues() < 2) throw new VirtioProbeError(`only ${t.num_queues()} queue(s), need receive and transmit`);
    const stride = VIRTIO_NET_HDR_LEN + ETH_HLEN + mtu;
    const rx_size = ring_size(t, RX_QUEUE, RX_RING_MAX, stride, RX_DMA_BUDGET);
    const tx_size = ring_size(t, TX_QUEUE, TX_RING_MAX, stride, TX_DMA_BUDGET);
    const rx = new BufferRing(RX_QUEUE, rx_size, stride, VIRTQ_DESC_F_WRITE, dma);
    const tx = new BufferRing(TX_QUEUE, tx_size, stride, 0, dma);
    t.setup_queue(RX_QUEUE, rx.vq);
    t.setup_queue(TX_QUEUE, tx.vq);
    return new VirtioNet(name, mac, mtu, features, t, rx, tx);
  }

  /** Fill the receive ring, then DRIVER_OK (§3.1.1 step 8): the device is live. */
  private start(): void {
    this.rx.vq.add_all(this.rx.stride);
    // Transmit completions are reclaimed by polling: no interrupt for them.
    this.tx.vq.disable_interrupts();
    this.transport.add_status(VIRTIO_CONFIG_S_DRIVER_OK);
    if ((this.transport.status() & VIRTIO_CONFIG_S_DRIVER_OK) === 0) throw new VirtioProbeError("device did not accept DRIVER_OK");
    this.read_link();
    this.up = true;
    // Notifications are allowed only now (§3.1.1): tell it the ring is full.
    this.transport.notify_queue(RX_QUEUE);
  }

  // --- receive -----------------------------------------------------------------

  receive(_now_us: number): Frame | null {
    if (tracing) trace_push(TRACE_DRIVER_RX);
    if (this.rx_held >= 0) {
      this.rx_done[this.rx_done_count++] = this.rx_held;
      this.rx_held = -1;
    }
    const frame = this.rx_frame,
      bytes = frame.buffer,
      stride = this.rx.stride,
      ids = this.rx_ids;
    for (;;) {
      let next = this.rx_next;
      if (next === this.rx_taken) {
        // All taken are received: take what the device has filled since, in one call.
        next = 0;
        this.rx_taken = this.rx.vq.take_used(ids, this.rx_lens);
        if (this.rx_taken === 0) {
          this.rx_next = 0;
          if (tracing) trace_pop();
          return null;
        }
      }
      const id = ids[next];
      const len = this.rx_lens[next];
      this.rx_next = next + 1;
      if (id >= this.rx_ring_slots) {
        // Not a buffer we posted: nothing to recycle.
        this.stats.rx_errors++;
        continue;
      }
      // The used length must cover a header and an Ethernet header yet fit the buffer.
      if (len < VIRTIO_NET_HDR_LEN + ETH_HLEN || len > stride) {
        this.stats.rx_errors++;
        this.rx_done[this.rx_done_count++] = id;
        continue;
      }
      const base = id * stride;
      // num_buffers other than 1 (see warn_num_buffers), looked at inline: on v86 every frame has it.
      if (bytes[base + HDR_NUM_BUFFERS] !== 1 || bytes[base + HDR_NUM_BUFFERS + 1] !== 0) {
        if (this.rx_bad_num_buffers++ === 0) this.warn_num_buffers(bytes, base);
      }
      this.rx_held = id;
      frame.offset = base + VIRTIO_NET_HDR_LEN;
      frame.length = len - VIRTIO_NET_HDR_LEN;
      const stats = this.stats;
      stats.rx_packets++;
      stats.rx_bytes += len - VIRTIO_NET_HDR_LEN;
      if (tracing) trace_pop();
      return frame;
    }
  }

  /**
   * Without MRG_RXBUF a frame is always exactly one buffer and the device
   * must say num_buffers = 1 (§5.1.6.4). The value then carries nothing the
   * driver uses, and v86 writes it big-endian (0x0100): a wrong value is
   * counted and reported once, not held against the frame.
   */
  private warn_num_buffers(bytes: Uint8Array, base: number): void {
    const num_buffers = bytes[base + HDR_NUM_BUFFERS] | (bytes[base + HDR_NUM_BUFFERS + 1] << 8);
    pr_warn(`${this.name}: device wrote num_buffers ${num_buffers} without VIRTIO_NET_F_MRG_RXBUF (must be 1); ignored`);
  }

  protected rx_pending(): boolean {
    return this.rx_next < this.rx_taken || this.rx.vq.has_used();
  }

  /** Give every filled receive buffer back to the device unread. */
  protected flush_rx(): void {
    if (this.rx_held >= 0) {
      this.rx_done[this.rx_done_count++] = this.rx_held;
      this.rx_held = -1;
    }
    for (;;) {
      for (; this.rx_next < this.rx_taken; this.rx_next++) {
        const id = this.rx_ids[this.rx_next];
        if (id >= this.rx_ring_slots) continue;
        this.rx_done[this.rx_done_count++] = id;
        this.stats.rx_dropped++;
      }
      this.rx_next = 0;
      this.rx_taken = this.rx.vq.take_used(this.rx_ids, this.rx_lens);
      if (this.rx_taken === 0) break;
    }
    this.refill_rx();
  }

  /** Post the buffers the stack is done with, and tell the device (unless it asked not to be told). */
  private refill_rx(): void {
    const rx = this.rx;
    rx.vq.add_many(this.rx_done, this.rx_done_count, rx.stride);
    this.rx_done_count = 0;
    if (rx.vq.needs_notify()) this.transport.notify_queue(RX_QUEUE);
  }

  protected irq_disable(): void {
    this.rx.vq.disable_interrupts();
  }

  protected irq_enable(): void {
    // The flag is written before rx_pending() reads used.idx (NetDevice's
    // re-check), so a frame used in between is seen by one or the other.
    this.rx.vq.enable_interrupts();
  }

  /**
   * The NAPI poll, then the RX refill once a batch waits; and, while output
   * waits for TX buffers (the completion interrupt is on), their reclaim.
   */
  poll_napi(budget: number, now_us = hal.now_us()): number {
    const work_done = super.poll_napi(budget, now_us);
    if (this.rx_done_count > this.rx_refill_after) this.refill_rx();
    if (this.tx_irq) this.reclaim_tx();
    return work_done;
  }

  // --- transmit ----------------------------------------------------------------

  transmit(_now_us: number, length: number): Frame | null {
    if (tracing) trace_push(TRACE_TX);
    let frame: Frame | null = null;
    if (length > ETH_HLEN + this.device_mtu) {
      this.stats.tx_dropped++;
      if (this.tx_kick_pending) this.kick_tx(); // the caller will not send the frame it meant to come last
    } else {
      if (this.tx_pending < 0) {
        this.tx_pending = this.tx_free_count > 0 ? this.tx_free[--this.tx_free_count] : this.take_sent_tx_buffer();
      }
      if (this.tx_pending >= 0) {
        frame = this.tx_frame;
        frame.offset = this.tx_pending * this.tx.stride + VIRTIO_NET_HDR_LEN;
        frame.length = length;
      }
    }
    if (tracing) trace_pop();
    return frame;
  }

  /** No TX buffer is free: one the device has sent since, or (asking it to interrupt) none, -1. */
  private take_sent_tx_buffer(): number {
    if (this.tx_kick_pending) this.kick_tx(); // the device sends what waits, and may give buffers back at once
    this.reclaim_tx();
    if (this.tx_free_count === 0 && !this.wait_for_tx_buffers()) return -1;
    return this.tx_free[--this.tx_free_count];
  }

  transmit_commit(_now_us: number, more = false): void {
    const id = this.tx_pending;
    if (id < 0) return;
    if (tracing) trace_push(TRACE_TX);
    this.tx_pending = -1;
    this.tx_in_flight[id] = 1;
    this.tx.vq.add(id, VIRTIO_NET_HDR_LEN + this.tx_frame.length);
    // One notification for a burst (Linux's xmit_more): each is an I/O exit the device handles in full.
    if (more) this.tx_kick_pending = true;
    else this.kick_tx();
    this.stats.tx_packets++;
    this.stats.tx_bytes += this.tx_frame.length;
    if (tracing) trace_pop();
  }

  /**
   * Every TX buffer is in flight: ask the device to interrupt when it gives
   * some back (the interrupt schedules the poll that sends the rest), then
   * look once more, so a completion just before the request is not missed.
   * Returns whether a buffer is free after all.
   */
  private wait_for_tx_buffers(): boolean {
    this.tx_irq = true;
    this.tx.vq.enable_interrupts();
    this.reclaim_tx();
    return this.tx_free_count > 0;
  }

  /** Tell the device about the TX buffers posted since the last time (unless it asked not to be told). */
  private kick_tx(): void {
    this.tx_kick_pending = false;
    if (this.tx.vq.needs_notify()) this.transport.notify_queue(TX_QUEUE);
  }

  /** Take back the TX buffers the device has sent. */
  private reclaim_tx(): void {
    const sent = this.tx.vq.take_used(this.tx_ids, this.tx_lens);
    if (sent === 0) return;
    if (this.tx_irq) {
      this.tx_irq = false;
      this.tx.vq.disable_interrupts();
    }
    for (let i = 0; i < sent; i++) {
      const id = this.tx_ids[i];
      if (id >= this.tx.vq.size || !this.tx_in_flight[id]) {
        this.stats.tx_errors++;
        continue;
      }
      this.tx_in_flight[id] = 0;
      this.tx_free[this.tx_free_count++] = id;
    }
  }

  // --- interrupts and link -------------------------------------------------------

  /** The handler for the (possibly shared) INTx line; a field, registered as it is (no wrapper between). */
  private readonly interrupt = (): IrqReturn => {
    const isr = this.transport.isr_status(); // the read acknowledges it
    if (isr !== 0) {
      if (isr & VIRTIO_PCI_ISR_CONFIG) this.read_link();
      if (isr & VIRTIO_PCI_ISR_QUEUE) this.rx_interrupt();
      else this.stats.irqs++;
    }
    return isr === 0 ? IRQ_NONE : IRQ_HANDLED;
  };

  /** The link bit of the config status, when the device reports one (§5.1.4). */
  private read_link(): void {
    const config = this.transport.device;
    if (!config || !this.features.has(VIRTIO_NET_F_STATUS)) return;
    const link_up = (config.read16(CONFIG_STATUS) & VIRTIO_NET_S_LINK_UP) !== 0;
    if (link_up !== this.link_up && this.up) pr_info(`${this.name}: link ${link_up ? "up" : "down"}`);
    this.link_up = link_up;
  }
}
