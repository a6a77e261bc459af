// What the SYN flood's scenarios share: spoofed SYNs (from addresses and MACs
// no one has resolved) to a listener on port 23 whose half-open queue the
// first of them fill, so that from then on every SYN is the flood's: it is
// answered with a cookie on the stack's fast path (net/iface/syn_fast_path.ts)
// or screened out (syn_screen.ts). Only poll_ingress_single per SYN: under a
// flood the NAPI poll takes many frames before its one poll_egress and poll_at.
import { SocketSet } from "../../../net/socket/socket_set";
import { TcpSocket } from "../../../net/socket/tcp";
import { SynSource } from "../attack/syn_frames";
import { OUR_MAC, our_interface, US } from "./frames";
import { MAX_ROUNDS, ReplayDevice } from "./scenario";

const BACKLOG = 16;
const FILL = 4 * BACKLOG;

/** The flood under way at `now_us`: next(at_us) has the interface take the next SYN at at_us. */
export function syn_flood(now_us: number): { sockets: SocketSet; next: (at_us: number) => void } {
  const source = new SynSource(OUR_MAC, US, 23);
  const device = new ReplayDevice(FILL + MAX_ROUNDS);
  for (let i = 0; i < FILL + MAX_ROUNDS; i++) device.add(source.next());
  const iface = our_interface();
  const sockets = new SocketSet();
  sockets.add_tcp(new TcpSocket()).listen(23, BACKLOG);
  let frame = 0;
  const next = (at_us: number): void => {
    device.queue.push(frame++);
    while (iface.poll_ingress_single(at_us, device, sockets)) {}
  };
  for (let i = 0; i < FILL; i++) next(now_us);
  iface.poll_egress(now_us, device, sockets);
  return { sockets, next };
}
