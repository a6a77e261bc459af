// A host-side peer for the guest, built from napkin's own net/ stack running
// under Node: an Interface and sockets on the V86Link, polled whenever the
// guest sends and whenever the stack's next deadline (poll_at) comes.
// Services (DHCP, DNS) and port-forward bridges hook in with on_poll. Only
// timers and microtasks, no Node APIs: a browser page can run it too.
import { Interface } from "../../net/iface/interface";
import { SocketSet } from "../../net/socket/socket_set";
import { ipv4 } from "../../net/wire/address";
import { V86Link } from "./v86_link";

export interface HostStackConfig {
  /** e.g. "10.0.2.2/24" */
  address: string;
  mac?: number;
}

export function host_now_us(): number {
  return performance.now() * 1000;
}

export class HostStack {
  readonly iface: Interface;
  readonly sockets = new SocketSet();
  /** Run after every poll, to answer what arrived; the stack then sends what they queued. */
  readonly on_poll: (() => void)[] = [];
  private timer: ReturnType<typeof setTimeout> | null = null;
  private scheduled = false;
  private stopped = false;

  constructor(
    readonly link: V86Link,
    config: HostStackConfig,
  ) {
    const [address, prefix] = config.address.split("/");
    this.iface = new Interface({ hardware_addr: config.mac ?? 0x52_54_00_12_35_02, link: link.capabilities });
    this.iface.add_address(ipv4(address), Number(prefix ?? 24));
    link.on_receive = () => this.poll_soon();
  }

  /** Poll once the current task is done (coalescing repeated requests). */
  poll_soon(): void {
    if (this.scheduled || this.stopped) return;
    this.scheduled = true;
    queueMicrotask(() => {
      this.scheduled = false;
      this.poll();
    });
  }

  poll(): void {
    if (this.stopped) return;
    const now = host_now_us();
    this.iface.poll(now, this.link, this.sockets, 256);
    if (this.on_poll.length > 0) {
      for (const hook of this.on_poll.slice()) hook(); // a copy: a finished bridge removes its hook
      this.iface.poll_egress(host_now_us(), this.link, this.sockets);
    }
    const at = this.iface.poll_at(host_now_us(), this.sockets);
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (at !== null) this.timer = setTimeout(() => this.poll(), Math.max(0, (at - host_now_us()) / 1000));
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }
}
