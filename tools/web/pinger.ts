// ping from the page: an ICMP echo request to the guest every PING_INTERVAL_MS
// from the in-page host stack, and each round-trip time as it comes back.
// The guest answers echo requests inside its receive path, so the RTT shows
// how long a packet waits behind the flood to be looked at.
import type { HostStack } from "../hostnet/host_stack";
import { IcmpSocket } from "../../net/socket/icmp";
import { WINDOW_MS, type Point } from "./sampler";

const PING_INTERVAL_MS = 250;
/** A request with no answer after this long counts as lost (a late answer is then ignored). */
const LOST_AFTER_MS = 5000;
const IDENT = 0x6e6b; // "nk"

export class Pinger {
  /** Round-trip times (ms) of the last WINDOW_MS, at the time each request left. */
  readonly rtts: Point[] = [];
  sent = 0;
  lost = 0;
  private readonly socket = new IcmpSocket(64, 8 * 1024);
  private readonly reply = new Uint8Array(64);
  /** Sent time of each request still waiting for its answer, by sequence number. */
  private readonly waiting = new Map<number, number>();
  private timer: ReturnType<typeof setInterval> | null = null;

  constructor(
    private readonly stack: HostStack,
    private readonly guest: number,
  ) {
    this.socket.bind(IDENT);
    stack.sockets.add_icmp(this.socket);
    stack.on_poll.push(() => this.take_replies());
  }

  get running(): boolean {
    return this.timer !== null;
  }

  start(): void {
    if (this.timer === null) this.timer = setInterval(() => this.ping(), PING_INTERVAL_MS);
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }

  private ping(): void {
    const now = performance.now();
    for (const [seq, sent_at] of this.waiting) {
      if (now - sent_at < LOST_AFTER_MS) break; // in sending order: the rest are younger
      this.waiting.delete(seq);
      this.lost++;
    }
    while (this.rtts.length > 0 && this.rtts[0].at_ms < now - WINDOW_MS) this.rtts.shift();
    const seq = this.sent & 0xffff;
    if (!this.socket.send_echo(this.guest, seq, new Uint8Array(8))) return;
    this.sent++;
    this.waiting.set(seq, now);
    this.stack.poll();
  }

  private take_replies(): void {
    while (this.socket.recv_echo(this.reply) >= 0) {
      const sent_at = this.waiting.get(this.socket.last_seq_no);
      if (this.socket.last_src_addr !== this.guest || sent_at === undefined) continue;
      this.waiting.delete(this.socket.last_seq_no);
      this.rtts.push({ at_ms: sent_at, value: performance.now() - sent_at });
    }
  }
}
