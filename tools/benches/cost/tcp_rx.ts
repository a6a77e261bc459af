// One round: a burst of TCP_RX_BURST full-sized in-order segments of a bulk stream
// in (merged by GRO), the ACK out, and the application draining what
// arrived, as the discard service does; the NAPI poll's calls, as ping.ts.
import { Interface } from "../../../net/iface/interface";
import { MemoryLink } from "../../../net/phy/memory_link";
import { SocketSet } from "../../../net/socket/socket_set";
import { EthernetFrame, ETHERTYPE_IPV4 } from "../../../net/wire/ethernet";
import { Ipv4Repr, IP_PROTOCOL_TCP } from "../../../net/wire/ipv4";
import { TcpRepr, TCP_ACK } from "../../../net/wire/tcp";
import { handshake } from "../handshake";
import { OUR_MAC, our_interface, PEER, PEER_MAC, US } from "./frames";
import { MAX_ROUNDS, ReplayDevice, report, rounds, TCP_RX_BURST, use_natives } from "./scenario";

const BURST = TCP_RX_BURST;
const MSS = 1460;

use_natives();
// A connection from the peer to our discard port, opened with a real handshake over a link.
const iface = our_interface();
const sockets = new SocketSet();
const peer = new Interface({ hardware_addr: PEER_MAC, addresses: [{ address: PEER, prefix_len: 24 }] });
const { connection, rcv_nxt, snd_nxt } = handshake(new MemoryLink(), { peer, peer_sockets: new SocketSet(), iface, sockets }, US, 9);

// The peer's segments, all of them, numbered on from where the handshake left the stream.
const segment = new TcpRepr();
segment.src_port = 40000;
segment.dst_port = 9;
segment.ack_number = snd_nxt;
segment.flags = TCP_ACK;
segment.window_len = 0xffff;
segment.payload = new Uint8Array(MSS).fill(0x6e);
segment.payload_len = MSS;
const ip = new Ipv4Repr();
ip.src_addr = PEER;
ip.dst_addr = US;
ip.protocol = IP_PROTOCOL_TCP;
ip.payload_len = segment.buffer_len();
const device = new ReplayDevice(MAX_ROUNDS * BURST);
let seq = rcv_nxt;
for (let i = 0; i < MAX_ROUNDS * BURST; i++, seq = (seq + MSS) | 0) {
  const frame = new Uint8Array(14 + ip.buffer_len());
  new EthernetFrame().point(frame, 0, 14).emit(OUR_MAC, PEER_MAC, ETHERTYPE_IPV4);
  ip.emit(frame, 14, true);
  segment.seq_number = seq;
  segment.emit(frame, 34, PEER, US, true);
  device.add(frame);
}

const sink = new Uint8Array(64 * 1024);
let received = 0;
let now = 1_000_000;
for (let round = 0, n = rounds(); round < n; round++) {
  for (let i = BURST - 1; i >= 0; i--) device.queue.push(round * BURST + i);
  now += 1000;
  while (iface.poll_ingress_single(now, device, sockets)) {}
  iface.poll_egress(now, device, sockets);
  iface.poll_at(now, sockets);
  for (let got; (got = connection.recv_slice(sink)) > 0;) received += got;
}
report(`${received} bytes read, ${device.sent} ACKs`);
