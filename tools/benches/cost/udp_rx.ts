// One round: a burst of UDP_RX_BURST small datagrams in to a bound socket, as
// the versus bench's flood sends them to the discard service, and the reader
// taking each one; the NAPI poll's calls, as ping.ts.
import { SocketSet } from "../../../net/socket/socket_set";
import { UdpSocket } from "../../../net/socket/udp";
import { our_interface, udp_datagram } from "./frames";
import { ReplayDevice, report, rounds, UDP_RX_BURST, use_natives } from "./scenario";

/** The flood's datagrams: 18 bytes of data, a minimum-size Ethernet frame. */
const PAYLOAD_LEN = 18;

use_natives();
const iface = our_interface();
const sockets = new SocketSet();
const socket = sockets.add_udp(new UdpSocket(64, 64 * 2048));
socket.bind(9);
const device = new ReplayDevice(1);
const datagram = device.add(udp_datagram(9, PAYLOAD_LEN));
const sink = new Uint8Array(2048);
let received = 0;
let now = 1_000_000;
for (let i = 0, n = rounds(); i < n; i++) {
  for (let j = 0; j < UDP_RX_BURST; j++) device.queue.push(datagram);
  now += 1000;
  while (iface.poll_ingress_single(now, device, sockets)) {}
  iface.poll_egress(now, device, sockets);
  iface.poll_at(now, sockets);
  while (socket.recv_slice(sink, 0) >= 0) received++;
}
report(`${received} datagrams read`);
