// A network namespace: its devices, its sockets, and its netns_poll thread.
//
// netns_poll is the seed design's precise timer. After every poll the stack
// publishes, per device, the next time it needs polling without a packet
// arriving (a TCP retransmission, an ARP retry, a delayed ACK): the device's
// PollDeadline. The thread sleeps until the nearest of them and then calls
// napi_schedule() for the devices that are due; it never processes packets
// itself, so all protocol work stays in napi_handler. It is woken early only
// by a deadline earlier than the one it sleeps on; the generation counter
// that keeps such a publish from being lost is explained in poll_deadline.ts.
// If the thread dies while the namespace lives, a new one is started and the
// restart reported: without it, no timer of the namespace would ever fire.
import { hal } from "../hal/current";
import { KERN_ALERT, printk } from "../log";
import { kthread_run, Thread } from "../sched/sched";
import { wait_event, wait_event_timeout, wake_up, WaitQueue } from "../sched/waitqueue";
import { LatenessStats } from "../time/lateness";
import { Fib } from "../../net/iface/fib";
import type { Interface } from "../../net/iface/interface";
import type { NetContext } from "../../net/socket/api";
import { SocketSet } from "../../net/socket/socket_set";
import { TcpState } from "../../net/socket/tcp";
import type { DeviceNamespace, NetDevice } from "./netdevice";
import { PollGeneration } from "./poll_deadline";
import { SockWaitQueue } from "./sock_wait";

declare module "../sched/nsproxy" {
  interface NsProxy {
    /** The network namespace the thread's sockets live in; absent means init_net. */
    net_ns?: NetNamespace;
  }
}

/** setns(2): `thread` and the threads it starts from now on live in `ns`. */
export function setns(thread: Thread, ns: NetNamespace): void {
  thread.nsproxy = { ...thread.nsproxy, net_ns: ns };
}

/** A network namespace (Linux's struct net). */
export class NetNamespace implements DeviceNamespace {
  /** Its devices, in the order they joined (ip link lists them so). */
  readonly devices: NetDevice[] = [];
  /** Every socket of the namespace, shared by its devices' stacks. */
  readonly sockets = new SocketSet();
  /** The routes and local addresses of the namespace, shared by its devices' stacks. */
  readonly fib = new Fib<Interface>();
  /** Bumped by every change of a device deadline (see poll_deadline.ts). */
  readonly poll_generation = new PollGeneration();
  /** How late the thread woke relative to the deadline it chose. */
  readonly lateness = new LatenessStats();
  /** Times netns_poll woke for a deadline. */
  wakeups = 0;
  /** Wakeups on a deadline that found no device due. */
  idle_wakeups = 0;
  /** Times its netns_poll thread died and was started again. */
  poll_restarts = 0;
  /** The name server DHCP gave this namespace, 0 if none (for `host`). */
  nameserver = 0;
  /** What the blocking socket API (net/socket/api.ts) needs from this namespace. */
  readonly context: NetContext;

  private readonly wq = new WaitQueue();
  private thread: Thread | null = null;
  private alive = true;

  constructor(readonly name: string) {
    this.context = {
      route: (addr) => this.route(addr),
      sockets: this.sockets,
      new_waiter: () => new SockWaitQueue(),
      request_poll: (dst) => this.request_poll(dst),
      now_us: () => hal.now_us(),
    };
  }

  /** The interface that sends to `addr`, as the FIB chooses it; null if none does. */
  route(addr: number): Interface | null {
    const route = this.fib.lookup(addr);
    return route !== null ? route.iface : null;
  }

  /** Start the namespace's netns_poll thread (again, should it die while the namespace lives). */
  start(): void {
    const thread = (this.thread = kthread_run(`netns_poll/${this.name}`, () => this.netns_poll()));
    setns(thread, this);
    thread.on_exit = () => {
      if (!this.alive) return; // the namespace is gone: the thread was meant to end
      this.poll_restarts++;
      printk(KERN_ALERT, `Oops: netns_poll/${this.name} died; a new one takes over its timers (restart ${this.poll_restarts})`);
      this.start();
    };
  }

  /**
   * The namespace is going away (called while its devices are still here):
   * every connection resets its peer, and every socket closes, so that the
   * threads blocked on them wake up, fail (ENETDOWN) and end; then the poll
   * thread stops.
   */
  stop(): void {
    this.alive = false;
    const now = hal.now_us();
    for (const socket of this.sockets.tcp) socket.abort("down");
    // Send the RSTs now, while there are devices to carry them: a peer in
    // another namespace (over a veth) learns at once that the connection is gone.
    for (const dev of this.devices) if (dev.up) dev.iface.poll_egress(now, dev, this.sockets);
    for (const socket of this.sockets.tcp) if (socket.state !== TcpState.Closed) socket.done("down");
    for (const socket of this.sockets.udp) socket.close();
    for (const socket of this.sockets.icmp) socket.close();
    this.sockets.tcp.length = this.sockets.udp.length = this.sockets.icmp.length = 0;
    this.kick();
  }

  /** The netns_poll thread, or null once it has ended. */
  poll_thread(): Thread | null {
    return this.thread;
  }

  /** Take a device in (register_netdev, dev_change_net_namespace): its deadline joins ours. */
  add_device(dev: NetDevice): void {
    this.devices.push(dev);
    dev.netns = this;
    dev.iface.join_fib(this.fib);
    if (dev.loopback) this.fib.loopback = dev.iface;
    dev.poll_deadline.generation = this.poll_generation;
    this.kick();
  }

  /** Let a device go (it is unregistered or moves to another namespace). */
  remove_device(dev: NetDevice): void {
    const i = this.devices.indexOf(dev);
    if (i >= 0) this.devices.splice(i, 1);
    dev.iface.join_fib(new Fib<Interface>()); // its routes leave ours
    this.kick();
  }

  /** A device's deadline changed: let netns_poll choose again. */
  deadline_changed(): void {
    wake_up(this.wq);
  }

  /** Something changed that netns_poll must see (a device came or went, a deadline moved). */
  kick(): void {
    this.poll_generation.value++;
    wake_up(this.wq);
  }

  /**
   * A socket has output waiting (or needs the stack to move): schedule the
   * NAPI poll of the device that routes to `dst`, or of every device when
   * that is not known. The caller never polls itself: the poll runs in the
   * NET_RX softirq, when the caller next gives up the CPU.
   */
  request_poll(dst?: number): void {
    const route = dst === undefined ? null : this.fib.lookup(dst);
    // Indexed, as the other loops here on the packet path: in QuickJS a
    // for-of makes an iterator object and calls its next() per device.
    const devices = this.devices;
    for (let i = 0; i < devices.length; i++) {
      const dev = devices[i];
      // (iface.is_up, not the up getter: a getter costs a lookup and a call in QuickJS.)
      if (dev.iface.is_up && (route === null || dev.iface === route.iface)) dev.schedule_poll();
    }
  }

  /** The earliest deadline over the devices that are up, or Infinity. */
  next_deadline(): number {
    let deadline = Infinity;
    const devices = this.devices;
    for (let i = 0; i < devices.length; i++) {
      const dev = devices[i];
      const at = dev.poll_deadline.poll_at_us;
      if (dev.iface.is_up && at !== null && at < deadline) deadline = at;
    }
    return deadline;
  }

  private async netns_poll(): Promise<void> {
    while (this.alive) {
      const generation = this.poll_generation.value;
      const deadline = this.next_deadline();
      // Wake early only for an earlier deadline (or the end): a deadline that
      // moved later is found not due when the timer fires (an idle wakeup).
      // The generation is read first, so the deadline scan runs only after a
      // change: wake_up() evaluates this on every publish of the packet path.
      const choose_again = () => !this.alive || (this.poll_generation.value !== generation && this.next_deadline() < deadline);
      if (deadline === Infinity) {
        await wait_event(this.wq, choose_again);
        continue;
      }
      const now = hal.now_us();
      if (deadline > now) {
        if ((await wait_event_timeout(this.wq, choose_again, deadline - now)) > 0) continue;
        this.lateness.record(hal.now_us() - deadline);
      }
      this.wakeups++;
      if (this.schedule_due(hal.now_us()) === 0) this.idle_wakeups++;
    }
    this.thread = null;
  }

  /** napi_schedule() every device whose deadline has come; returns how many. */
  private schedule_due(now: number): number {
    let due = 0;
    const devices = this.devices;
    for (let i = 0; i < devices.length; i++) {
      const dev = devices[i];
      if (dev.up && dev.poll_deadline.take_due(now)) {
        dev.schedule_poll();
        due++;
      }
    }
    return due;
  }
}
