// One round: an ICMP echo request in, through the stack, and the reply out
// (poll_ingress_single until the device is empty, poll_egress, poll_at, as
// the NAPI poll calls them).
import { SocketSet } from "../../../net/socket/socket_set";
import { echo_request, our_interface } from "./frames";
import { ReplayDevice, report, rounds, use_natives } from "./scenario";

use_natives();
const iface = our_interface();
const sockets = new SocketSet();
const device = new ReplayDevice(1);
const request = device.add(echo_request());
let now = 1_000_000;
for (let i = 0, n = rounds(); i < n; i++) {
  device.queue.push(request);
  now += 300;
  while (iface.poll_ingress_single(now, device, sockets)) {}
  iface.poll_egress(now, device, sockets);
  iface.poll_at(now, sockets);
}
report(`${device.sent} replies`);
