// A UDP flood from the in-page host stack to the guest's echo service (port
// 7), at a chosen rate, counting what it offered and what came back.
//
// Delivered packets are the echoes the host receives, not a counter asked of
// the guest. An echo exists only if the datagram crossed the guest's whole
// receive path and a thread of the guest read it from its socket and sent it
// back: it is work completed, which is what collapses in a receive livelock
// (Mogul & Ramakrishnan measure the packets delivered, not those taken in).
// And it is counted on the host, so it reads correctly exactly when the
// guest is too busy to answer the page's Telnet session: a guest counter
// such as /proc/net/snmp's Udp InDatagrams would come late or not at all
// then, and the chart would show a gap where the collapse is.
import type { HostStack } from "../hostnet/host_stack";
import { UdpSocket } from "../../net/socket/udp";
import { is_port_unreachable } from "./port_unreachable";
import type { Reading } from "./sampler";

export const ECHO_PORT = 7;
export const FLOOD_OFFERED = "flood offered";
export const FLOOD_DELIVERED = "flood delivered";

/** The highest rate the flood takes, packets/s. */
export const MAX_RATE = 50_000;
const TICK_MS = 4;
/** After a stall of the page, make up at most this much of the owed time, not a burst of everything missed. */
const MAX_CATCH_UP_MS = 20;
/** 18 bytes of data make the smallest Ethernet frame: 14 + 20 (IPv4) + 8 (UDP) + 18 = 60. */
const PAYLOAD = new Uint8Array(18);
/** Datagrams the socket queues: the most one tick may owe. */
const QUEUE_PACKETS = (MAX_RATE * MAX_CATCH_UP_MS) / 1000;

export class UdpFlood {
  /** Datagrams handed to the host stack, and echoes received from the guest. */
  offered = 0;
  delivered = 0;
  /** The guest's "port unreachable" answers: nothing listens on its port 7. */
  refused = 0;
  /** Packets per second while flooding; 0 when stopped. */
  rate = 0;
  private readonly socket = new UdpSocket(QUEUE_PACKETS, QUEUE_PACKETS * 64);
  private readonly echo = new Uint8Array(PAYLOAD.length);
  private timer: ReturnType<typeof setInterval> | null = null;
  private last_tick_ms = 0;
  /** Packets owed at the current rate, fractions included. */
  private owed = 0;

  constructor(
    private readonly stack: HostStack,
    private readonly guest: number,
  ) {
    this.socket.bind(0);
    stack.sockets.add_udp(this.socket);
    stack.on_poll.push(() => this.count_echoes());
  }

  /** Flood at `rate` packets/s (at most MAX_RATE), or change the rate of the flood under way. */
  start(rate: number): void {
    this.rate = Math.min(rate, MAX_RATE);
    if (this.timer !== null) return;
    this.last_tick_ms = performance.now();
    this.owed = 0;
    this.timer = setInterval(() => this.tick(), TICK_MS);
  }

  stop(): void {
    this.rate = 0;
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }

  read(): Reading {
    return {
      at_ms: performance.now(),
      totals: new Map([
        [FLOOD_OFFERED, this.offered],
        [FLOOD_DELIVERED, this.delivered],
      ]),
    };
  }

  /** Look at a frame the guest sent, for a port unreachable about our datagrams. */
  see_from_guest(frame: Uint8Array): void {
    if (is_port_unreachable(frame, this.socket.local_port, ECHO_PORT)) this.refused++;
  }

  private tick(): void {
    const now = performance.now();
    this.owed = Math.min(this.owed + ((now - this.last_tick_ms) * this.rate) / 1000, (MAX_CATCH_UP_MS * this.rate) / 1000);
    this.last_tick_ms = now;
    // The stack sends a bounded burst per poll: queue, poll, until paid or stuck.
    while (this.owed >= 1) {
      let queued = 0;
      while (this.owed >= 1 && this.socket.send_slice(PAYLOAD, this.guest, ECHO_PORT)) {
        this.owed--;
        queued++;
      }
      this.offered += queued;
      this.stack.poll();
      if (queued === 0) break;
    }
  }

  private count_echoes(): void {
    while (this.socket.recv_slice(this.echo) >= 0) {
      if (this.socket.last_src_addr === this.guest && this.socket.last_src_port === ECHO_PORT) this.delivered++;
    }
  }
}
