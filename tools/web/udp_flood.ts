// A UDP flood from the in-page host stack to the guest's echo service (port
// 7), at a chosen rate, counting what it offered and what came back.
//
// The datagrams arrive spread out, as a real NIC's do: at most BATCH of them
// at a time, then the emulator runs a slice before the next batch, as in the
// rx-curve of tools/benches/versus/ (32 frames per turn in its floods). A
// receive livelock needs frames that keep coming while the interrupt's work
// runs. A timer's worth of them at once, every few milliseconds, comes as
// bursts with gaps between: the card drops what its ring cannot hold, the
// guest takes in the rest, and its threads run in the gap, so interrupt
// mode delivered about what NAPI did. When the emulator runs fewer slices
// than the rate needs, what it had no room for is not offered, never made
// up later in a burst; `offered` counts what was.
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
import type { EmulatorSlices } from "./emulator_slices";
import { next_turn } from "./next_turn";
import { is_port_unreachable } from "./port_unreachable";
import type { Reading } from "./sampler";

export const ECHO_PORT = 7;
export const FLOOD_OFFERED = "flood offered";
export const FLOOD_DELIVERED = "flood delivered";

/** The highest rate the flood takes, packets/s. */
export const MAX_RATE = 50_000;
/** Datagrams put on the wire between two slices of the emulator: the NE2000's ring holds some 57 of these smallest frames (a 256-byte page each). */
const BATCH = 32;
/** When the next datagram is due at least this far off, wait with a timer rather than spinning turns. */
const TIMER_MS = 4;
/** 18 bytes of data make the smallest Ethernet frame: 14 + 20 (IPv4) + 8 (UDP) + 18 = 60. */
const PAYLOAD = new Uint8Array(18);
/** Datagrams the socket queues each way: a batch out, and the echoes of an emulator slice in. */
const QUEUE_PACKETS = 1024;

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
  /** Changes at each start, so the turns of a stopped flood end. */
  private run = 0;
  /** Datagrams are due at `rate` from this time on; `sent` of them have gone. */
  private due_from_ms = 0;
  private sent = 0;

  constructor(
    private readonly stack: HostStack,
    private readonly guest: number,
    private readonly emulator: EmulatorSlices,
  ) {
    this.socket.bind(0);
    stack.sockets.add_udp(this.socket);
    stack.on_poll.push(() => this.count_echoes());
  }

  /** Flood at `rate` packets/s (at most MAX_RATE), or change the rate of the flood under way. */
  start(rate: number): void {
    const running = this.rate > 0;
    this.rate = Math.min(rate, MAX_RATE);
    this.due_from_ms = performance.now();
    this.sent = 0;
    if (running) return;
    const run = ++this.run;
    this.turn(run);
  }

  stop(): void {
    this.rate = 0;
    this.run++;
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

  private turn(run: number): void {
    if (run !== this.run) return;
    const due = Math.floor(((performance.now() - this.due_from_ms) * this.rate) / 1000) - this.sent;
    if (due > 0 && this.emulator.ran_since_kick) this.send_batch(Math.min(due, BATCH), due > BATCH);
    const wait_ms = this.due_from_ms + ((this.sent + 1) * 1000) / this.rate - performance.now();
    if (wait_ms >= TIMER_MS) setTimeout(() => this.turn(run), wait_ms);
    else next_turn(() => this.turn(run));
  }

  private send_batch(count: number, behind: boolean): void {
    let queued = 0;
    while (queued < count && this.socket.send_slice(PAYLOAD, this.guest, ECHO_PORT)) queued++;
    this.offered += queued;
    this.sent += queued;
    if (behind) {
      // Forget what the emulator had no time for rather than owe it.
      this.due_from_ms = performance.now();
      this.sent = 0;
    }
    this.stack.poll();
    this.emulator.kick();
  }

  private count_echoes(): void {
    while (this.socket.recv_slice(this.echo) >= 0) {
      if (this.socket.last_src_addr === this.guest && this.socket.last_src_port === ECHO_PORT) this.delivered++;
    }
  }
}
