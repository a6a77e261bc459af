// Host benchmark for net/: per-segment receive-path cost and bulk TCP
// throughput between two stacks over the in-memory link.
// Run: npx tsx tools/benches/stack.ts
import { Interface } from "../../net/iface/interface";
import { Device, Frame } from "../../net/iface/device";
import { MemoryLink } from "../../net/phy/memory_link";
import { SocketSet } from "../../net/socket/socket_set";
import { TcpSocket } from "../../net/socket/tcp";
import { ipv4, mac } from "../../net/wire/address";
import { Ipv4Repr, IP_PROTOCOL_TCP } from "../../net/wire/ipv4";
import { TcpRepr, TCP_ACK, TCP_PSH } from "../../net/wire/tcp";
import { EthernetFrame, ETHERTYPE_IPV4 } from "../../net/wire/ethernet";
import { handshake } from "./handshake";

const A = ipv4("10.0.0.1"),
  B = ipv4("10.0.0.2");
const MAC_A = mac("02:00:00:00:00:01"),
  MAC_B = mac("02:00:00:00:00:02");

/** Replays a prepared frame, patching its sequence number (and checksum) each time. */
class SegmentSource implements Device {
  readonly capabilities = { max_transmission_unit: 1514, max_burst_size: 16, checksum_rx_offload: false, checksum_tx_offload: false };
  private readonly rx: Frame;
  private readonly tx: Frame = { buffer: new Uint8Array(1514), offset: 0, length: 0 };
  private readonly repr = new TcpRepr();
  private readonly ip = new Ipv4Repr();
  constructor(
    private readonly frame: Uint8Array,
    seq: number,
    ack: number,
    src_port: number,
    dst_port: number,
    private readonly payload: number,
  ) {
    this.rx = { buffer: frame, offset: 0, length: frame.length };
    const r = this.repr;
    r.src_port = src_port;
    r.dst_port = dst_port;
    r.seq_number = seq;
    r.ack_number = ack;
    r.flags = TCP_ACK | TCP_PSH;
    r.window_len = 0xffff;
    r.payload = new Uint8Array(payload);
    r.payload_len = payload;
    this.ip.src_addr = A;
    this.ip.dst_addr = B;
    this.ip.protocol = IP_PROTOCOL_TCP;
    this.ip.payload_len = r.buffer_len();
    new EthernetFrame().point(frame, 0, 14).emit(MAC_B, MAC_A, ETHERTYPE_IPV4);
    this.ip.emit(frame, 14, true);
  }
  receive(): Frame {
    this.repr.emit(this.frame, 34, A, B, true);
    this.repr.seq_number = (this.repr.seq_number + this.payload) | 0;
    return this.rx;
  }
  transmit(_now: number, length: number): Frame {
    this.tx.length = length;
    return this.tx;
  }
  transmit_commit(): void {}
}

/** µs per received in-order data segment: parse, checksum, socket queueing, plus reading it out. */
function bench_receive_path(payload: number): number {
  // Establish B's side with a real handshake over a link, then feed it synthetic segments.
  const link = new MemoryLink();
  const ia = new Interface({ hardware_addr: MAC_A, addresses: [{ address: A, prefix_len: 24 }] });
  const ib = new Interface({ hardware_addr: MAC_B, addresses: [{ address: B, prefix_len: 24 }] });
  const sb = new SocketSet();
  const stream = handshake(link, { peer: ia, peer_sockets: new SocketSet(), iface: ib, sockets: sb }, B, 80, { ack_delay_us: 0 });
  const server = stream.connection;
  const seq = stream.rcv_nxt;
  const ack = stream.snd_nxt;
  const frame = new Uint8Array(14 + 20 + 20 + payload);
  const source = new SegmentSource(frame, seq, ack, 40000, 80, payload);
  const sink = new Uint8Array(64 * 1024);
  let bytes = 0;
  const run = (n: number) => {
    for (let i = 0; i < n; i++) {
      ib.poll_ingress_single(i, source, sb);
      bytes += server.recv_slice(sink);
      if ((i & 15) === 0) ib.poll_egress(i, source, sb);
    }
  };
  run(20_000);
  const n = 200_000;
  const start = process.hrtime.bigint();
  run(n);
  const elapsed = Number(process.hrtime.bigint() - start) / 1000;
  if (bytes !== (n + 20_000) * payload) throw new Error(`segments were not accepted: ${bytes} bytes`);
  // Building each segment (emit + checksum) is the bench's own work: time it alone and subtract.
  const generator = new SegmentSource(new Uint8Array(frame.length), seq, ack, 40000, 80, payload);
  for (let i = 0; i < 20_000; i++) generator.receive();
  const gen_start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) generator.receive();
  const generating = Number(process.hrtime.bigint() - gen_start) / 1000;
  return (elapsed - generating) / n;
}

/** Bulk TCP between two stacks on a clean link, virtual clock, as fast as the host runs it. */
function bench_bulk(total: number): { mbit_s: number; seconds: number } {
  const link = new MemoryLink();
  const ia = new Interface({ hardware_addr: MAC_A, addresses: [{ address: A, prefix_len: 24 }] });
  const ib = new Interface({ hardware_addr: MAC_B, addresses: [{ address: B, prefix_len: 24 }] });
  const sa = new SocketSet(),
    sb = new SocketSet();
  const listener = sb.add_tcp(new TcpSocket({ rx_buffer_size: 256 * 1024 }));
  listener.listen(80, 1);
  const client = sa.add_tcp(new TcpSocket({ tx_buffer_size: 256 * 1024 }));
  ia.tcp_connect(0, client, B, 80, 40000);
  const chunk = new Uint8Array(64 * 1024);
  const sink = new Uint8Array(64 * 1024);
  let server: TcpSocket | null = null;
  let sent = 0,
    received = 0,
    now = 0;
  const start = process.hrtime.bigint();
  while (received < total) {
    if (sent < total) sent += client.send_slice(chunk, 0, Math.min(chunk.length, total - sent));
    ia.poll(now, link.a, sa);
    ib.poll(now, link.b, sb);
    server = server ?? listener.accept();
    if (server !== null) received += server.recv_slice(sink);
    const next = Math.min(ia.poll_at(now, sa) ?? Infinity, ib.poll_at(now, sb) ?? Infinity, link.next_delivery_at());
    if (next > now && next !== Infinity) now = next;
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return { mbit_s: (total * 8) / seconds / 1e6, seconds };
}

const rx_1460 = bench_receive_path(1460);
const rx_64 = bench_receive_path(64);
const bulk = bench_bulk(64 << 20);
console.log(
  `rx path, 1460-byte TCP segment: ${rx_1460.toFixed(3)} us/segment (checksum check, TCP processing, copy into the socket and out to the reader)`,
);
console.log(`rx path,   64-byte TCP segment: ${rx_64.toFixed(3)} us/segment`);
console.log(`bulk TCP A->B, 64 MiB over memory link: ${bulk.mbit_s.toFixed(0)} Mbit/s host time (${bulk.seconds.toFixed(2)} s)`);
