// One round: a burst of TCP_RX_BURST full segments of a stream arrives
// while the kernel idles, and the discard service reads them: the whole
// kernel's path on the simulated machine (kernel/hal/sim.ts), as kernel-ping
// has it for a ping: the IRQ taken by the idle loop, the NIC's handler, the
// NET_RX softirq, NAPI, the stack (GRO, TCP, the ACK out), the socket waking
// discardd-conn (inetd's real service), its read, and back to idle. The NIC
// is a replay device with an interrupt line, its frames in one buffer as in
// a NIC's DMA ring; the connection is opened by a real handshake through it.
import { request_irq, IRQ_HANDLED, IRQ_NONE, type IrqReturn } from "../../../kernel/irq/irq";
import { NetDevice } from "../../../kernel/net/netdevice";
import { sched_run_until } from "../../../kernel/sched/sched";
import { DISCARD_PORT } from "../../../kernel/services/inetd";
import { ScriptDevice } from "../../../test/net/frames";
import type { DeviceCapabilities, Frame } from "../../../net/iface/device";
import { Interface } from "../../../net/iface/interface";
import { SocketSet } from "../../../net/socket/socket_set";
import { TcpSocket } from "../../../net/socket/tcp";
import { OUR_MAC, PEER, PEER_MAC, stream_segments, STREAM_MSS, US } from "./frames";
import { discard_machine, IRQ } from "./kernel_machine";
import { FrameStore, MAX_ROUNDS, report, rounds, TCP_RX_BURST, use_natives } from "./scenario";

use_natives();
const BURST = TCP_RX_BURST;

/** A NIC that hands the kernel the frames queued on it (kept in one buffer) and interrupts when they come. */
class ReplayNic extends NetDevice {
  /** Frame numbers the next receives take, oldest first. */
  readonly queue: number[] = [];
  private next = 0;
  /** What it sent, kept only while `keep_sent` (the handshake); counted always. */
  keep_sent = true;
  readonly sent: Uint8Array[] = [];
  sent_count = 0;
  private readonly store = new FrameStore(MAX_ROUNDS * BURST + 64);
  private readonly tx: Frame = { buffer: new Uint8Array(1514), offset: 0, length: 0 };

  constructor() {
    const capabilities: DeviceCapabilities = {
      max_transmission_unit: 1514,
      max_burst_size: 16,
      checksum_rx_offload: false,
      checksum_tx_offload: false,
      gro: true,
    };
    super("eth0", OUR_MAC, capabilities);
    this.up = true;
    request_irq(IRQ, this.interrupt, "eth0", { threaded: false });
  }

  /** Keep a copy of `frame` for receiving; returns its number. */
  add(frame: Uint8Array): number {
    return this.store.add(frame);
  }

  receive(): Frame | null {
    return this.next === this.queue.length ? null : this.store.frame(this.queue[this.next++]);
  }
  transmit(_now: number, length: number): Frame {
    this.tx.length = length;
    return this.tx;
  }
  transmit_commit(): void {
    this.sent_count++;
    if (this.keep_sent) this.sent.push(this.tx.buffer.slice(0, this.tx.length));
  }
  protected irq_disable(): void {}
  protected irq_enable(): void {}
  protected rx_pending(): boolean {
    return this.next < this.queue.length;
  }
  /** Every frame queued has been received. */
  drained(): boolean {
    return this.next === this.queue.length;
  }
  protected flush_rx(): void {
    this.next = this.queue.length;
  }
  private readonly interrupt = (): IrqReturn => {
    if (!this.rx_pending()) return IRQ_NONE;
    this.rx_interrupt();
    return IRQ_HANDLED;
  };
}

const { sim, ns, dev: nic } = discard_machine(() => new ReplayNic());

async function run(): Promise<void> {
  await sched_run_until(() => true); // the threads have started and sleep
  // The handshake, through the kernel.
  const peer = new Interface({ hardware_addr: PEER_MAC, addresses: [{ address: PEER, prefix_len: 24 }] });
  peer.arp_cache.fill(0, US, OUR_MAC);
  const peer_sockets = new SocketSet();
  // The peer's side of the wire: what our NIC sent reaches it, and what it
  // sends arrives at our NIC, which interrupts.
  const wire = new ScriptDevice();
  const peer_poll = (now_us: number): void => {
    for (const frame of nic.sent.splice(0)) wire.inject(frame);
    peer.poll(now_us, wire, peer_sockets);
    if (wire.sent.length === 0) return;
    for (const frame of wire.sent.splice(0)) nic.queue.push(nic.add(frame));
    sim.raise_irq(IRQ);
  };
  const client = peer_sockets.add_tcp(new TcpSocket());
  peer.tcp_connect(0, client, US, DISCARD_PORT, 40000);
  for (let t = 1; t < 50 && !client.is_established(); t++) {
    peer_poll(t * 1000);
    await sched_run_until(() => true);
    peer_poll(t * 1000);
  }
  await sched_run_until(() => true); // our side takes the handshake's last ACK
  const connection = ns.sockets.tcp.find((s) => s.local_port === DISCARD_PORT && s.is_established());
  if (!client.is_established() || connection === undefined) throw new Error("handshake failed");
  nic.keep_sent = false;
  const numbers = client as unknown as { snd_nxt: number; rcv_nxt: number };

  // The peer's segments for every round, made beforehand.
  let first = -1;
  stream_segments(DISCARD_PORT, numbers.snd_nxt, numbers.rcv_nxt, MAX_ROUNDS * BURST, (frame) => {
    const k = nic.add(frame);
    if (first < 0) first = k;
  });

  const n = rounds();
  const acks_before = nic.sent_count;
  let arrived = 0;
  // Each burst arrives as a timer event of the simulated machine, which schedules the next.
  const arrive = (): void => {
    for (let i = 0; i < BURST; i++) nic.queue.push(first + arrived * BURST + i);
    sim.raise_irq(IRQ);
    if (++arrived < n) sim.at(sim.now_us() + 1000, arrive);
  };
  sim.at(sim.now_us() + 1000, arrive);
  const bytes = n * BURST * STREAM_MSS;
  await sched_run_until(() => arrived === n && nic.drained() && connection.recv_queue() === 0);
  report(`${n * BURST} segments, ${bytes} bytes, ${connection.recv_queue()} unread, ${nic.sent_count - acks_before} ACKs`);
}

run().catch((error: Error) => report(`failed: ${error.message}\n${error.stack}`));
