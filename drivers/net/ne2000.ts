// NE2000 (RTL8029 on PCI): a DP8390 core with 16 KiB of on-card packet
// memory that the CPU reaches only through "remote DMA" over an I/O port.
// Received frames land in a ring of 256-byte pages on the card, room for
// about nine full frames; a tenth is dropped without a trace. So the card
// has a top half (hard-IRQ context, preempting whatever runs): with one
// string read (rep insw) it copies every page the card has filled since
// the last time into a larger ring in memory, the one a DMA card would
// have, finds the frames in what it copied, and moves the boundary pointer
// to free the pages. The NAPI poll then takes frames from that ring as it
// would from a DMA ring, however long it takes to come.
import { hal } from "../../kernel/hal/current";
import { IO_ACK, IO_INB, IO_INSL, IO_OUTSL } from "../../kernel/hal/hal";
import { IRQ_HANDLED, IRQ_NONE, IRQ_WAKE_THREAD, IrqReturn, TopHalfReturn, request_irq } from "../../kernel/irq/irq";
import { pr_info, pr_warn } from "../../kernel/log";
import type { DeviceCapabilities, Frame } from "../../net/iface/device";
import { mac_to_string } from "../../net/wire/address";
import { PciDevice, pci_enable_device } from "../pci/device";
import { PCI_COMMAND_IO } from "../pci/config";
import { NetDevice } from "../../kernel/net/netdevice";
import { NAPI_STATE_SCHED } from "../../kernel/net/napi_state";
import { tracing, trace_pop, trace_push, TRACE_DRIVER_RX, TRACE_TX } from "../../kernel/lib/trace";

// Registers (offsets from the I/O base). Page 0 unless noted.
const CR = 0x00;
const PSTART = 0x01;
const PSTOP = 0x02;
const BNRY = 0x03;
const TPSR = 0x04;
const TBCR0 = 0x05;
const TBCR1 = 0x06;
const ISR = 0x07;
const RSAR0 = 0x08;
const RSAR1 = 0x09;
const RBCR0 = 0x0a;
const RBCR1 = 0x0b;
const RCR = 0x0c;
const TCR = 0x0d;
const DCR = 0x0e;
const IMR = 0x0f;
const PAR0 = 0x01; // page 1: physical address 0..5
const CURR = 0x07; // page 1: current page the card writes to
const MAR0 = 0x08; // page 1: multicast filter 0..7
const DATA = 0x10;
const RESET = 0x1f;

// CR bits
const CR_STP = 0x01;
const CR_STA = 0x02;
const CR_TXP = 0x04;
const CR_RD_READ = 0x08;
const CR_RD_WRITE = 0x10;
const CR_RD_ABORT = 0x20;
const CR_PAGE1 = 0x40;

// ISR / IMR bits
const ISR_PRX = 0x01;
const ISR_PTX = 0x02;
const ISR_RXE = 0x04;
const ISR_TXE = 0x08;
const ISR_OVW = 0x10;
const ISR_RDC = 0x40;
const ISR_RST = 0x80;
/** The receive events: a frame, a receive error, a full ring. */
const ISR_RX = ISR_PRX | ISR_RXE | ISR_OVW;
/** Every event the driver handles. (Named once: the interpreter would OR the bits at every interrupt.) */
const ISR_EVENTS = ISR_RX | ISR_PTX | ISR_TXE;
/** What the card may interrupt for while it receives. */
const IMR_RX = ISR_RX;
/**
 * Transmit errors always; transmit completion (PTX) only while output waits
 * for the card (see transmit()): otherwise every frame sent would cost an
 * interrupt that says nothing new.
 */
const IMR_TX = ISR_TXE;

// RCR bits
const RCR_AB = 0x04; // broadcast
const RCR_AM = 0x08; // multicast
const RCR_PRO = 0x10; // promiscuous

const DCR_WORD_FIFO8 = 0x49; // word-wide transfers, normal mode, FIFO threshold 8 bytes
const TCR_LOOPBACK = 0x02;

// Card memory: one transmit buffer of 6 pages, then the receive ring.
const TX_START_PAGE = 0x40;
const RX_START_PAGE = 0x46;
const RX_STOP_PAGE = 0x80;
const RX_RING_PAGES = RX_STOP_PAGE - RX_START_PAGE;
const PAGE_BYTES = 256;
const RX_HEADER_LEN = 4;
const MAX_FRAME = 1514;
const MIN_FRAME = 60;
/** The largest length a card's receive header may give: a full frame and its CRC. */
const MAX_RX_LENGTH = MAX_FRAME + 4;

/** Bytes of the ring in memory: 64 full frames, or many more small ones, as they lie in card pages. */
const RX_RING_BYTES = 64 * 6 * PAGE_BYTES;
/**
 * Frames the ring in memory keeps track of (a power of two): as many as its
 * pages, since each frame takes at least one, so this never fills first.
 */
const RX_FRAMES = 512;

export class Ne2000 extends NetDevice {
  /**
   * The receive ring in memory: pages copied from the card, each frame in
   * them after its card header, as on the card. Frame number n starts at
   * rx_offsets[n % RX_FRAMES] and is rx_lengths[...] bytes long; the top half
   * adds frames at rx_head, the poll takes them at rx_tail. Each index is
   * written by one side only and both only grow, so the two need no lock
   * even though the top half preempts the poll.
   */
  private readonly rx_ring: Uint8Array;
  private readonly rx_offsets = new Uint32Array(RX_FRAMES);
  private readonly rx_lengths = new Uint16Array(RX_FRAMES);
  private rx_head = 0;
  private rx_tail = 0;
  /** Where in rx_ring the top half copies pages to next. */
  private rx_write = 0;
  /** Frames in the ring when the top half found it full; the poll lets the card interrupt again at half that. */
  private rx_throttled_at = 0;
  /** The poll still uses the frame at rx_tail: its slot is freed by the next receive(). */
  private rx_held = false;
  /** What the top half found in the card's ISR, for the handler at the next pass. */
  private isr_events = 0;
  private readonly tx_buffer: Uint8Array;
  private readonly header = new Uint8Array(RX_HEADER_LEN);
  /**
   * The remote DMA sequences as hal.io_program programs, with their constant
   * parts filled in once. A read: acknowledge the last transfer, set up this
   * one, take the bytes. A send: copy the frame into the card's transmit
   * pages, then acknowledge that and tell the card to send it. The top
   * half's status: read ISR and acknowledge what it says, then CURR (on
   * register page 1; page 0 is selected again after), in that order, so a
   * frame that lands in between raises the interrupt again. Each is one
   * native call, so the top half's reads cannot come in between. The data
   * moves 32 bits at a time: the RTL8029 takes doubleword I/O on its data
   * port (Linux's ne2k-pci uses it too), half the port accesses of words,
   * each of which an emulator handles on its own.
   */
  // prettier-ignore
  private readonly status_program = Uint8Array.of(
    IO_INB, ISR, IO_ACK, ISR, CR, CR_PAGE1 | CR_STA | CR_RD_ABORT, IO_INB, CURR, CR, CR_STA | CR_RD_ABORT,
  );
  // prettier-ignore
  private readonly read_program = Uint8Array.of(
    ISR, ISR_RDC, RBCR0, 0, RBCR1, 0, RSAR0, 0, RSAR1, 0, CR, CR_RD_READ | CR_STA, IO_INSL, DATA,
  );
  /** The top half's read of every page up to CURR, which then frees them all: the read, then BNRY. */
  // prettier-ignore
  private readonly drain_program = Uint8Array.of(
    ISR, ISR_RDC, RBCR0, 0, RBCR1, 0, RSAR0, 0, RSAR1, 0, CR, CR_RD_READ | CR_STA, IO_INSL, DATA, BNRY, 0,
  );
  // prettier-ignore
  private readonly send_program = Uint8Array.of(
    RBCR0, 0, RBCR1, 0, RSAR0, 0, RSAR1, TX_START_PAGE, CR, CR_RD_WRITE | CR_STA, IO_OUTSL, DATA, // the copy
    ISR, ISR_RDC, TBCR0, 0, TBCR1, 0, CR, CR_TXP | CR_STA | CR_RD_ABORT, // the send
  );
  private readonly rx_frame: Frame;
  private readonly tx_frame: Frame;
  private next_page = RX_START_PAGE + 1;
  private rcr = RCR_AB;
  /** Whether output waits for the card (then it interrupts on transmit completion). */
  private tx_waiting = false;
  /**
   * The memory ring is full: the card's receive interrupt is off until the
   * poll has emptied half of it. Under overload the card then drops what
   * it cannot hold, costing nothing, instead of interrupting for frames
   * that could only be dropped (a real DP8390 counts those in CNTR2; v86's
   * reads 0). This is what keeps NAPI from the livelock it exists to prevent.
   */
  private rx_throttled = false;
  /** IMR as last written. */
  private imr = IMR_RX | IMR_TX;
  overflows = 0;

  constructor(
    name: string,
    private readonly io: number,
    mac: number,
  ) {
    super(name, mac, NE2000_CAPABILITIES, { masks_irq: false });
    // Word-sized string I/O wants even lengths: the ring is whole pages, the buffer rounded up.
    this.rx_ring = hal.dma_alloc(RX_RING_BYTES).bytes;
    this.tx_buffer = hal.dma_alloc(MAX_FRAME + 2).bytes;
    this.rx_frame = { buffer: this.rx_ring, offset: 0, length: 0 };
    this.tx_frame = { buffer: this.tx_buffer, offset: 0, length: 0 };
  }

  /** The RTL8029, the PCI NE2000 that v86 and QEMU emulate. */
  static matches(pci: PciDevice): boolean {
    return pci.vendor_id === 0x10ec && pci.device_id === 0x8029;
  }

  /** Probe a PCI function: reset the card, read its MAC and start it. */
  static probe(pci: PciDevice, name: string): Ne2000 | null {
    const bar = pci.bars.find((b) => b.kind === "io");
    if (!bar || pci.irq < 0) {
      pr_warn(`${name}: NE2000 at irq ${pci.irq} without an I/O BAR or IRQ, skipped`);
      return null;
    }
    pci_enable_device(pci, PCI_COMMAND_IO);
    const io = bar.base;
    if (!ne2000_reset(io)) {
      pr_warn(`${name}: NE2000 at ${io.toString(16)} did not come out of reset`);
      return null;
    }
    const dev = new Ne2000(name, io, ne2000_read_mac(io));
    dev.start();
    dev.up = true;
    request_irq(pci.irq, dev.interrupt, name, { shared: true, threaded: false, top_half: dev.top_half });
    pr_info(`${name}: NE2000 (RTL8029) at io 0x${io.toString(16)}, irq ${pci.irq}, mac ${mac_to_string(dev.mac)}`);
    return dev;
  }

  private out(reg: number, value: number): void {
    hal.outb(this.io + reg, value);
  }

  private in(reg: number): number {
    return hal.inb(this.io + reg);
  }

  /** The init sequence of the DP8390 data sheet: stopped, configure, start. */
  private start(): void {
    this.out(CR, CR_STP | CR_RD_ABORT);
    this.out(DCR, DCR_WORD_FIFO8);
    this.out(RBCR0, 0);
    this.out(RBCR1, 0);
    this.out(RCR, this.rcr);
    this.out(TCR, TCR_LOOPBACK);
    this.out(TPSR, TX_START_PAGE);
    this.out(PSTART, RX_START_PAGE);
    this.out(BNRY, RX_START_PAGE);
    this.out(PSTOP, RX_STOP_PAGE);
    this.out(ISR, 0xff);
    this.out(IMR, 0);
    this.out(CR, CR_PAGE1 | CR_STP | CR_RD_ABORT);
    for (let i = 0; i < 6; i++) this.out(PAR0 + i, mac_byte(this.mac, i));
    for (let i = 0; i < 8; i++) this.out(MAR0 + i, 0xff); // accept all multicast when AM is on
    this.next_page = RX_START_PAGE + 1;
    this.out(CURR, this.next_page);
    this.out(CR, CR_STA | CR_RD_ABORT);
    this.out(TCR, 0);
    this.tx_waiting = false;
    this.rx_throttled = false;
    this.imr = IMR_RX | IMR_TX;
    this.out(IMR, this.imr);
  }

  /** Receive filter: broadcast is always on; multicast and promiscuous by choice. */
  set_rx_mode(allmulti: boolean, promiscuous: boolean): boolean {
    this.rcr = RCR_AB | (allmulti ? RCR_AM : 0) | (promiscuous ? RCR_PRO : 0);
    this.out(RCR, this.rcr); // one write: the top half always leaves register page 0 selected
    return true;
  }

  /** CURR, the card's write pointer, on register page 1; page 0 is selected again after. */
  private current_page(): number {
    const io = this.io;
    hal.outb(io + CR, CR_PAGE1 | CR_STA | CR_RD_ABORT);
    const curr = hal.inb(io + CURR);
    hal.outb(io + CR, CR_STA | CR_RD_ABORT);
    return curr;
  }

  /**
   * Remote DMA read of `bytes` (even) of card memory at `address` into
   * `dst` from `offset` on, in one io_program.
   */
  private remote_read(address: number, dst: Uint8Array, offset: number, bytes: number): void {
    const p = this.read_program;
    p[3] = bytes & 0xff;
    p[5] = bytes >> 8;
    p[7] = address & 0xff;
    p[9] = address >> 8;
    hal.io_program(this.io, p, 7, dst, offset, bytes);
  }

  /**
   * The same read of every page from `first` up to `curr` (the card's write
   * pointer), and in the same native call BNRY moved up to `curr`: the
   * pages before CURR hold only whole frames, so all of them are free once
   * copied.
   */
  private remote_read_to_curr(first: number, curr: number, dst: Uint8Array, offset: number, bytes: number): void {
    const p = this.drain_program;
    p[3] = bytes & 0xff;
    p[5] = bytes >> 8;
    p[7] = 0;
    p[9] = first;
    p[15] = curr === RX_START_PAGE ? RX_STOP_PAGE - 1 : curr - 1;
    hal.io_program(this.io, p, 8, dst, offset, bytes);
  }

  protected rx_pending(): boolean {
    return this.rx_head - this.rx_tail > (this.rx_held ? 1 : 0);
  }

  /** Stopped, the card receives nothing; ndo_stop leaves it so. */
  stop(): void {
    hal.local_irq_disable();
    this.out(IMR, 0); // start() writes it again
    this.out(CR, CR_STP | CR_RD_ABORT);
    this.flush_rx();
    hal.local_irq_enable();
  }

  /** Restart the card from the data sheet's init sequence: an empty ring, interrupts on. */
  open(): void {
    hal.local_irq_disable();
    this.start();
    hal.local_irq_enable();
  }

  /** Throw away the frames in the memory ring and on the card, counting them. */
  protected flush_rx(): void {
    hal.local_irq_disable();
    this.stats.rx_dropped += this.rx_head - this.rx_tail - (this.rx_held ? 1 : 0);
    this.rx_tail = this.rx_head;
    this.rx_held = false;
    const curr = this.current_page();
    while (curr !== this.next_page) {
      this.remote_read(this.next_page << 8, this.header, 0, RX_HEADER_LEN);
      const next = this.header[1];
      if (next < RX_START_PAGE || next >= RX_STOP_PAGE) {
        this.recover_ring();
        break;
      }
      this.advance(next);
      this.stats.rx_dropped++;
    }
    hal.local_irq_enable();
  }

  /**
   * The next frame of the memory ring, or null. It stays valid until the
   * next call, which frees its slot for the top half.
   */
  receive(_now_us: number): Frame | null {
    if (tracing) trace_push(TRACE_DRIVER_RX);
    let tail = this.rx_tail;
    if (this.rx_held) {
      this.rx_tail = ++tail;
      this.rx_held = false;
      if (this.rx_throttled && 2 * (this.rx_head - tail) <= this.rx_throttled_at) this.rx_unthrottle();
    }
    let frame: Frame | null = null;
    if (tail !== this.rx_head) {
      const slot = tail & (RX_FRAMES - 1);
      frame = this.rx_frame;
      frame.offset = this.rx_offsets[slot] + RX_HEADER_LEN;
      frame.length = this.rx_lengths[slot];
      this.rx_held = true;
    }
    if (tracing) trace_pop();
    return frame;
  }

  /**
   * Hard-IRQ context: move every frame on the card into the memory ring, in
   * one remote DMA read of the pages from the next one to read up to CURR
   * (the card's write pointer, on register page 1, read once; a frame that
   * lands after that raises the interrupt again). Then find the frames in
   * those pages by their card headers, as the card laid them out.
   */
  private drain_card(curr: number): void {
    const first = this.next_page;
    let pages = curr - first;
    if (pages === 0) return;
    if (pages < 0) pages += RX_RING_PAGES;
    const ring = this.rx_ring;
    const pending = this.rx_head - this.rx_tail;
    // Where the pages go: after the last copy, or back at the ring's start
    // if more fits there. The frames still in the ring lie from the oldest's
    // offset on; a copy must not reach it.
    let at = 0;
    let room = RX_RING_BYTES;
    if (pending > 0) {
      const oldest = this.rx_offsets[this.rx_tail & (RX_FRAMES - 1)];
      at = this.rx_write;
      room = at > oldest ? RX_RING_BYTES - at : oldest - at;
      if (at > oldest && oldest > room) {
        at = 0;
        room = oldest;
      }
    }
    let bytes = pages * PAGE_BYTES;
    if (bytes > room) bytes = room - (room % PAGE_BYTES);
    // The read wraps past the card ring's end with remote DMA itself. When
    // it takes every page up to CURR (the memory ring has room: nearly
    // always), BNRY moves in the same call.
    const to_curr = bytes === pages * PAGE_BYTES;
    if (to_curr) this.remote_read_to_curr(first, curr, ring, at, bytes);
    else if (bytes > 0) this.remote_read(first << 8, ring, at, bytes);
    let head = this.rx_head;
    let page = first;
    let done = 0; // bytes of the copy taken as frames
    let received = 0; // bytes of those frames
    let out_of_step = false;
    while (done < bytes) {
      const h = at + done;
      const next = ring[h + 1];
      const count = ring[h + 2] | (ring[h + 3] << 8);
      const length = count - RX_HEADER_LEN;
      // The pages it takes up to the next frame: those its bytes need, or one
      // more (v86 and QEMU each count one page more than the data sheet for
      // some lengths).
      let span = next - page;
      if (span <= 0) span += RX_RING_PAGES;
      const need = (count + PAGE_BYTES - 1) >> 8;
      if (
        next < RX_START_PAGE ||
        next >= RX_STOP_PAGE ||
        length < 14 ||
        length > MAX_RX_LENGTH ||
        !(ring[h] & 1) ||
        span < need ||
        span > need + 1
      ) {
        out_of_step = true;
        break;
      }
      if (done + span * PAGE_BYTES > bytes) break; // copied in part only: it stays on the card for the next time
      const slot = head & (RX_FRAMES - 1);
      this.rx_offsets[slot] = h;
      this.rx_lengths[slot] = length;
      head++;
      received += length;
      done += span * PAGE_BYTES;
      page = next;
    }
    if (done > 0) {
      this.stats.rx_packets += head - this.rx_head;
      this.stats.rx_bytes += received;
      this.rx_head = head;
      this.rx_write = at + done;
    }
    if (out_of_step || (to_curr && done !== bytes)) {
      // A header we cannot trust: the card's ring is out of step. Start it
      // over; the frames before that header are kept.
      this.stats.rx_errors++;
      this.recover_ring();
      return;
    }
    // BNRY follows the frames taken: it moved with a read up to CURR.
    if (to_curr) this.next_page = curr;
    else if (done > 0) this.advance(page);
    if (done !== pages * PAGE_BYTES) {
      // The memory ring is full: leave the rest on the card, and stop it interrupting until the poll makes room.
      this.rx_throttled = true;
      this.rx_throttled_at = head - this.rx_tail;
      this.update_imr();
    }
  }

  /**
   * The poll has emptied half the memory ring: let the card interrupt for
   * frames again, and take what waits on it now. Those frames may raise no
   * interrupt of their own: the top half acknowledged them, and a card that
   * filled up meanwhile drops what comes next without one.
   */
  private rx_unthrottle(): void {
    hal.local_irq_disable();
    this.rx_throttled = false;
    this.update_imr();
    this.drain_card(this.current_page());
    hal.local_irq_enable();
  }

  private advance(next: number): void {
    this.next_page = next;
    // BNRY trails the next page to read by one: the card must not write there.
    hal.outb(this.io + BNRY, next === RX_START_PAGE ? RX_STOP_PAGE - 1 : next - 1);
  }

  transmit(_now_us: number, length: number): Frame | null {
    if (tracing) trace_push(TRACE_TX);
    let frame: Frame | null = null;
    if (length > MAX_FRAME) {
      this.stats.tx_dropped++;
    } else if (hal.inb(this.io + CR) & CR_TXP) {
      // Busy with the last frame: ask to be told when it is done.
      hal.local_irq_disable();
      this.tx_waiting = true;
      this.update_imr();
      hal.local_irq_enable();
    } else {
      this.tx_frame.length = length;
      frame = this.tx_frame;
    }
    if (tracing) trace_pop();
    return frame;
  }

  transmit_commit(_now_us: number): void {
    if (tracing) trace_push(TRACE_TX);
    let length = this.tx_frame.length;
    if (length < MIN_FRAME) {
      this.tx_buffer.fill(0, length, MIN_FRAME);
      length = MIN_FRAME;
    }
    const even = (length + 1) & ~1;
    const p = this.send_program;
    p[1] = even & 0xff;
    p[3] = even >> 8;
    p[15] = length & 0xff;
    p[17] = length >> 8;
    hal.io_program(this.io, p, 10, this.tx_buffer, 0, even);
    this.stats.tx_packets++;
    this.stats.tx_bytes += length;
    if (tracing) trace_pop();
  }

  // The card keeps its receive interrupt on while NAPI polls (masks_irq is
  // false): the top half must go on emptying the card's ring. NAPI's
  // scheduled state already keeps those interrupts from scheduling more
  // polls, so there is nothing to mask.
  protected irq_disable(): void {}

  protected irq_enable(): void {}

  /** Write IMR from the flags; with hard IRQs off, or from the top half. */
  private update_imr(): void {
    this.imr = IMR_TX | (this.rx_throttled ? 0 : IMR_RX) | (this.tx_waiting ? ISR_PTX : 0);
    hal.outb(this.io + IMR, this.imr); // the top half always leaves register page 0 selected
  }

  /**
   * The top half, in hard-IRQ context: acknowledge the card and empty its
   * ring into memory. For frames alone (nearly every interrupt) it then
   * schedules the NAPI poll itself, as a Linux driver's interrupt handler
   * does; anything else waits for interrupt() at the next pass. (Handlers
   * are fields, registered as they are: no wrapper between the IRQ layer
   * and the work.)
   */
  private readonly top_half = (): TopHalfReturn => {
    const status = hal.io_program(this.io, this.status_program, 5, this.header, 0, 0);
    const isr = status & ISR_EVENTS;
    if (isr === 0) return IRQ_NONE;
    if (isr & ISR_OVW) this.recover_overflow();
    // CURR as the status program read it, or, after the restart an overflow takes, afresh.
    if (isr & ISR_RX) this.drain_card(isr & ISR_OVW ? this.current_page() : status >>> 8);
    const events = isr & this.imr;
    if (events === ISR_PRX && this.rx_mode === "napi") {
      // A poll already due takes these frames too, and looks at the ring
      // again before it goes idle: only an idle instance is scheduled.
      this.stats.irqs++;
      if (!(this.napi.state & NAPI_STATE_SCHED)) this.schedule_poll();
      return IRQ_HANDLED;
    }
    this.isr_events |= events;
    return IRQ_WAKE_THREAD;
  };

  /** The handler at the pass after the top half: counters, then NAPI (or all the work, in interrupt mode). */
  private readonly interrupt = (): IrqReturn => {
    // Taken and cleared with no call or branch between: the top half cannot slip in.
    const isr = this.isr_events;
    this.isr_events = 0;
    if (isr === 0) return IRQ_NONE;
    if (isr & ISR_TXE) this.stats.tx_errors++;
    if (isr & ISR_RXE) this.stats.rx_errors++;
    if (isr & ISR_RX) this.rx_interrupt();
    else this.stats.irqs++;
    if (isr & ISR_PTX && this.tx_waiting) {
      hal.local_irq_disable();
      this.tx_waiting = false;
      this.update_imr();
      hal.local_irq_enable();
      this.tx_interrupt();
    }
    return IRQ_HANDLED;
  };

  /**
   * Receive ring overflow, as the data sheet prescribes: stop, wait for the
   * reset bit, enter loopback, restart, and let the top half drain the ring.
   */
  private recover_overflow(): void {
    this.overflows++;
    this.stats.rx_dropped++;
    const was_transmitting = (this.in(CR) & CR_TXP) !== 0;
    this.out(CR, CR_STP | CR_RD_ABORT);
    this.out(RBCR0, 0);
    this.out(RBCR1, 0);
    for (let spins = 0; spins < 1000 && !(this.in(ISR) & ISR_RST); spins++);
    this.out(TCR, TCR_LOOPBACK);
    this.out(CR, CR_STA | CR_RD_ABORT);
    this.out(ISR, ISR_OVW);
    this.out(TCR, 0);
    if (was_transmitting) this.out(CR, CR_TXP | CR_STA | CR_RD_ABORT);
  }

  /** Throw away everything in the ring and start it afresh. */
  private recover_ring(): void {
    this.out(CR, CR_STP | CR_RD_ABORT);
    this.start();
  }
}

const NE2000_CAPABILITIES: DeviceCapabilities = {
  max_transmission_unit: MAX_FRAME,
  // One transmit buffer on the card, but a burst need not wait for a poll per
  // frame: transmit() says when the card is still busy sending the last one
  // (then its completion interrupt brings the next poll).
  max_burst_size: 16,
  checksum_rx_offload: false,
  checksum_tx_offload: false,
  gro: true,
};

function ne2000_reset(io: number): boolean {
  hal.outb(io + RESET, hal.inb(io + RESET));
  for (let spins = 0; spins < 10000; spins++) {
    if (hal.inb(io + ISR) & ISR_RST) {
      hal.outb(io + ISR, 0xff);
      return true;
    }
  }
  return false;
}

/** The station address PROM sits at card address 0, each byte doubled in word mode. */
function ne2000_read_mac(io: number): number {
  const prom = new Uint8Array(12);
  hal.outb(io + CR, CR_STP | CR_RD_ABORT);
  hal.outb(io + DCR, DCR_WORD_FIFO8);
  hal.outb(io + RBCR0, prom.length);
  hal.outb(io + RBCR1, 0);
  hal.outb(io + RSAR0, 0);
  hal.outb(io + RSAR1, 0);
  hal.outb(io + CR, CR_RD_READ | CR_STA);
  hal.insw(io + DATA, prom);
  let mac = 0;
  for (let i = 0; i < 6; i++) mac = mac * 256 + prom[i * 2];
  return mac;
}

function mac_byte(mac: number, i: number): number {
  return Math.floor(mac / 2 ** (8 * (5 - i))) & 0xff;
}
