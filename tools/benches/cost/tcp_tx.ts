// One round: the application queues TCP_RX_BURST full segments of a bulk
// stream, the NAPI poll's poll_egress sends what it may (one segment, cut
// into frames by GSO), and the peer's ACK for everything sent comes in;
// then the poll's last poll_egress and poll_at, as the tcp-tx bench's
// stream runs. Each round's ACK is made beforehand, from a rehearsal on a
// second, identical stack (a stream does not always send whole segments:
// one that meets the end of its send buffer's ring is cut there).
import { Interface } from "../../../net/iface/interface";
import { MemoryLink } from "../../../net/phy/memory_link";
import { SocketSet } from "../../../net/socket/socket_set";
import type { TcpSocket } from "../../../net/socket/tcp";
import { EthernetFrame, ETHERTYPE_IPV4 } from "../../../net/wire/ethernet";
import { Ipv4Repr, IP_PROTOCOL_TCP } from "../../../net/wire/ipv4";
import { TcpRepr, TCP_ACK } from "../../../net/wire/tcp";
import { handshake } from "../handshake";
import { OUR_MAC, our_interface, PEER, PEER_MAC, US } from "./frames";
import { MAX_ROUNDS, ReplayDevice, report, rounds, TCP_RX_BURST, use_natives } from "./scenario";

const BURST = TCP_RX_BURST;
const MSS = 1460;
/** Rounds before the counted ones: slow start opens the congestion window. */
const WARM_UP = 20;

use_natives();
const data = new Uint8Array(BURST * MSS).fill(0x6e);

/** Our stack with a connection from the peer to our discard port, opened with a real handshake; we send on it. */
class Sender {
  readonly iface = our_interface();
  readonly sockets = new SocketSet();
  readonly connection: TcpSocket;
  readonly device = new ReplayDevice(WARM_UP + MAX_ROUNDS);
  private readonly ack = new TcpRepr();
  private readonly ip = new Ipv4Repr();
  private now = 1_000_000;

  constructor() {
    const peer = new Interface({ hardware_addr: PEER_MAC, addresses: [{ address: PEER, prefix_len: 24 }] });
    const stacks = { peer, peer_sockets: new SocketSet(), iface: this.iface, sockets: this.sockets };
    const { connection, rcv_nxt } = handshake(new MemoryLink(), stacks, US, 9);
    this.connection = connection;
    const ack = this.ack;
    ack.src_port = 40000;
    ack.dst_port = 9;
    ack.seq_number = rcv_nxt;
    ack.flags = TCP_ACK;
    ack.window_len = 0xffff;
    this.ip.src_addr = PEER;
    this.ip.dst_addr = US;
    this.ip.protocol = IP_PROTOCOL_TCP;
    this.ip.payload_len = ack.buffer_len();
  }

  /** Where the stream stands (a private field: the scenario's look, not the stack's). */
  sent_up_to(): number {
    return (this.connection as unknown as { snd_nxt: number }).snd_nxt;
  }

  /** The peer's ACK of everything before `ack_number`, kept in the device; returns its number. */
  add_ack(ack_number: number): number {
    const frame = new Uint8Array(14 + this.ip.buffer_len());
    new EthernetFrame().point(frame, 0, 14).emit(OUR_MAC, PEER_MAC, ETHERTYPE_IPV4);
    this.ip.emit(frame, 14, true);
    this.ack.ack_number = ack_number;
    this.ack.emit(frame, 34, PEER, US, true);
    return this.device.add(frame);
  }

  /** The round's output (returns how far the stream got), then its ACK: `ack_frame`, or (-1) one made now. */
  round(ack_frame: number): number {
    const { iface, sockets, device } = this;
    this.now += 1000;
    this.connection.send_slice(data);
    iface.poll_egress(this.now, device, sockets);
    const sent = this.sent_up_to();
    device.queue.push(ack_frame >= 0 ? ack_frame : this.add_ack(sent));
    while (iface.poll_ingress_single(this.now, device, sockets)) {}
    iface.poll_egress(this.now, device, sockets);
    iface.poll_at(this.now, sockets);
    return sent;
  }
}

// The rehearsal: how far the stream gets in each round.
const rehearsal = new Sender();
for (let i = 0; i < WARM_UP; i++) rehearsal.round(-1);
const rehearsal_base = rehearsal.sent_up_to();
const progress: number[] = [];
for (let r = 0; r < MAX_ROUNDS; r++) progress.push((rehearsal.round(-1) - rehearsal_base) | 0);

// The stack measured: the same warm-up, then the rounds with their ACKs made already.
const sender = new Sender();
for (let i = 0; i < WARM_UP; i++) sender.round(-1);
const base = sender.sent_up_to();
const acks = progress.map((p) => sender.add_ack((base + p) | 0));
const frames_before = sender.device.sent;
for (let r = 0, n = rounds(); r < n; r++) sender.round(acks[r]);
report(`${sender.device.sent - frames_before} frames sent, ${((sender.sent_up_to() - base) | 0) / MSS} segments' worth`);
