// One round: a spoofed SYN to a listener whose half-open queue is full,
// answered with a cookie on the stack's fast path (net/iface/syn_fast_path.ts),
// as in a SYN flood. Only poll_ingress_single per SYN: under a flood the NAPI
// poll takes many frames before its one poll_egress and poll_at.
import { SocketSet } from "../../../net/socket/socket_set";
import { TcpSocket } from "../../../net/socket/tcp";
import { SynSource } from "../attack/syn_frames";
import { OUR_MAC, our_interface, US } from "./frames";
import { MAX_ROUNDS, ReplayDevice, report, rounds, use_natives } from "./scenario";

use_natives();
const BACKLOG = 16;
const FILL = 4 * BACKLOG;

const source = new SynSource(OUR_MAC, US, 23);
const device = new ReplayDevice(FILL + MAX_ROUNDS);
for (let i = 0; i < FILL + MAX_ROUNDS; i++) device.add(source.next());

const iface = our_interface();
const sockets = new SocketSet();
const listener = sockets.add_tcp(new TcpSocket());
listener.listen(23, BACKLOG);
let now = 1_000_000;
const take = (frame: number): void => {
  device.queue.push(frame);
  now += 100;
  while (iface.poll_ingress_single(now, device, sockets)) {}
};
// Half-open connections until the queue is full: from then on every SYN gets a cookie.
for (let i = 0; i < FILL; i++) take(i);
iface.poll_egress(now, device, sockets);
const cookies = sockets.tcp_ext.syncookies_sent;
for (let i = 0, n = rounds(); i < n; i++) take(FILL + i);
report(`${sockets.tcp_ext.syncookies_sent - cookies} cookies`);
