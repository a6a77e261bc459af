// A network namespace: its devices, its sockets, and its netns_poll thread.
//
// netns_poll is the seed design's precise timer. The stack publishes, per
// device, the next time it needs polling without a packet arriving (a TCP
// retransmission, an ARP retry, a delayed ACK): poll_at_us. The thread sleeps
// until the nearest of them and then calls napi_schedule() for the devices
// that are due; it never processes packets itself, so all protocol work stays
// in napi_handler.
//
// A deadline can be published while the thread is between choosing its
// deadline and going to sleep. The generation counter makes that safe: the
// thread sleeps only while the generation it read is still current, and every
// publish bumps it (DragonOS bug #2162 was exactly this lost wakeup).
import { hal } from "../hal/current";
import { kthread_run, Thread } from "../sched/sched";
import { wait_event, wait_event_timeout, wake_up, WaitQueue } from "../sched/waitqueue";
import { LatenessStats } from "../time/lateness";
import type { Interface } from "../../net/iface/interface";
import type { NetContext } from "../../net/socket/api";
import { SocketSet } from "../../net/socket/socket_set";
import type { Waiter } from "../../net/socket/waiter";
import type { NetDevice } from "../../drivers/net/netdev";

export class NetNamespace {
  readonly devices: NetDevice[] = [];
  readonly sockets = new SocketSet();
  private readonly wq = new WaitQueue();
  private generation = 0;
  private thread: Thread | null = null;
  private alive = true;
  /** How late the thread woke relative to the deadline it chose. */
  readonly lateness = new LatenessStats();
  wakeups = 0;
  /** The name server DHCP gave this namespace, 0 if none (for `host`). */
  nameserver = 0;
  /** Wakeups on a deadline that found no device due. */
  idle_wakeups = 0;

  /** What the blocking socket API (net/socket/api.ts) needs from this namespace. */
  readonly net: NetContext;

  constructor(readonly name: string) {
    this.net = {
      route: (addr) => this.route(addr),
      sockets: this.sockets,
      waiter: new SocketWaiter(this),
      now_us: () => hal.now_us(),
    };
  }

  /** The interface that sends to `addr`: the first device up whose routes cover it. */
  route(addr: number): Interface | null {
    for (const dev of this.devices) if (dev.up && dev.iface.routes_to(addr)) return dev.iface;
    return null;
  }

  start(): void {
    this.thread = kthread_run(`netns_poll/${this.name}`, () => this.netns_poll());
  }

  /**
   * The namespace is going away: stop the poll thread, and close every socket
   * so that threads blocked on them wake up, fail and end.
   */
  stop(): void {
    this.alive = false;
    for (const socket of this.sockets.tcp) socket.abort();
    for (const socket of this.sockets.udp) socket.close();
    this.sockets.tcp.length = this.sockets.udp.length = this.sockets.icmp.length = 0;
    this.net.waiter.wake();
    this.kick();
  }

  poll_thread(): Thread | null {
    return this.thread;
  }

  add_device(dev: NetDevice): void {
    this.devices.push(dev);
    dev.netns = this;
    this.kick();
  }

  remove_device(dev: NetDevice): void {
    const i = this.devices.indexOf(dev);
    if (i >= 0) this.devices.splice(i, 1);
    this.kick();
  }

  /** A device's poll_at_us changed, or a socket wants the stack to move. */
  kick(): void {
    this.generation++;
    wake_up(this.wq);
  }

  /**
   * A socket has output waiting (or needs the stack to move): have every
   * device polled now. The caller never polls itself; netns_poll hands the
   * devices to napi_handler.
   */
  request_poll(): void {
    const now = hal.now_us();
    for (const dev of this.devices) if (dev.up) dev.poll_at_us = now;
    this.kick();
  }

  /** The earliest poll_at_us over the devices, or Infinity. */
  next_deadline(): number {
    let deadline = Infinity;
    for (const dev of this.devices) {
      if (dev.up && dev.poll_at_us !== null && dev.poll_at_us < deadline) deadline = dev.poll_at_us;
    }
    return deadline;
  }

  private async netns_poll(): Promise<void> {
    while (this.alive) {
      const generation = this.generation;
      const deadline = this.next_deadline();
      const now = hal.now_us();
      const changed = () => this.generation !== generation || !this.alive;
      if (deadline === Infinity) {
        await wait_event(this.wq, changed);
        continue;
      }
      if (deadline > now) {
        if ((await wait_event_timeout(this.wq, changed, deadline - now)) > 0) continue; // choose again
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
    for (const dev of this.devices) {
      if (dev.up && dev.poll_at_us !== null && dev.poll_at_us <= now) {
        // Consumed: the poll will publish a fresh one.
        dev.poll_at_us = null;
        dev.schedule_poll();
        due++;
      }
    }
    return due;
  }
}

/** Kernel threads blocked in socket calls sleep on the namespace's socket wait queue. */
class SocketWaiter implements Waiter {
  private readonly wq = new WaitQueue();

  constructor(private readonly ns: NetNamespace) {}

  wait_until(cond: () => boolean): Promise<void> {
    return wait_event(this.wq, cond);
  }

  wake(): void {
    wake_up(this.wq);
  }

  request_poll(): void {
    this.ns.request_poll();
  }
}
