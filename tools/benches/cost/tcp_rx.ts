// One round: a burst of TCP_RX_BURST full-sized in-order segments of a bulk stream
// in (merged by GRO), the ACK out, and the application draining what
// arrived, as the discard service does; the NAPI poll's calls, as ping.ts.
import { Interface } from "../../../net/iface/interface";
import { MemoryLink } from "../../../net/phy/memory_link";
import { SocketSet } from "../../../net/socket/socket_set";
import { handshake } from "../handshake";
import { our_interface, PEER, PEER_MAC, stream_segments, US } from "./frames";
import { MAX_ROUNDS, ReplayDevice, report, rounds, TCP_RX_BURST, use_natives } from "./scenario";

const BURST = TCP_RX_BURST;

use_natives();
// A connection from the peer to our discard port, opened with a real handshake over a link.
const iface = our_interface();
const sockets = new SocketSet();
const peer = new Interface({ hardware_addr: PEER_MAC, addresses: [{ address: PEER, prefix_len: 24 }] });
const { connection, rcv_nxt, snd_nxt } = handshake(new MemoryLink(), { peer, peer_sockets: new SocketSet(), iface, sockets }, US, 9);

// The peer's segments, all of them, numbered on from where the handshake left the stream.
const device = new ReplayDevice(MAX_ROUNDS * BURST);
stream_segments(9, rcv_nxt, snd_nxt, MAX_ROUNDS * BURST, (frame) => device.add(frame));

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
