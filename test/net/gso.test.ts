import * as assert from "assert";
import type { Device, Frame } from "../../net/iface/device";
import { IcmpSocket } from "../../net/socket/icmp";
import { TcpSocket } from "../../net/socket/tcp";
import { Drop } from "../../net/wire/error";
import { TcpPacket, TcpRepr, TCP_FIN, TCP_PSH } from "../../net/wire/tcp";
import { ADDR_A, ADDR_B, Simulation } from "./harness";

/** A sender's device that records the TCP frames it sends and says it is full at every `full_every`th transmit. */
class FillingDevice implements Device {
  readonly capabilities;
  readonly sent: { seq: number; payload_len: number; flags: number }[] = [];
  private transmits = 0;
  private readonly repr = new TcpRepr();
  private frame: Frame | null = null;

  constructor(
    private readonly inner: Device,
    private readonly full_every: number,
  ) {
    this.capabilities = inner.capabilities;
  }

  receive(now_us: number): Frame | null {
    return this.inner.receive(now_us);
  }

  transmit(now_us: number, length: number): Frame | null {
    if (++this.transmits % this.full_every === 0) return null;
    return (this.frame = this.inner.transmit(now_us, length));
  }

  transmit_commit(now_us: number): void {
    const f = this.frame as Frame;
    if (f.buffer[f.offset + 23] === 6 /* TCP */) {
      this.repr.parse(new TcpPacket().point(f.buffer, f.offset + 34, f.length - 34));
      const { seq_number: seq, payload_len, flags } = this.repr;
      this.sent.push({ seq, payload_len, flags });
    }
    this.inner.transmit_commit(now_us);
  }
}

describe("net: TCP segmentation offload in software (GSO)", () => {
  it("cuts a segment of many frames' data into MSS-sized frames in sequence, and loses nothing when the device fills part way", () => {
    let device: FillingDevice | null = null;
    const sim = new Simulation({ delay_us: 200 }, false, (inner) => (device = new FillingDevice(inner, 7)));
    const sender = device as unknown as FillingDevice;
    const listener = sim.b.sockets.add_tcp(new TcpSocket());
    listener.listen(80, 1);
    const receiver = sim.a.sockets.add_tcp(new TcpSocket());
    sim.a.iface.tcp_connect(sim.now, receiver, ADDR_B, 80, 40000);
    let server: TcpSocket | null = null;
    assert.ok(sim.run_until(() => (server = server ?? listener.accept()) !== null && receiver.is_established()));
    const data = new Uint8Array(300_000).map((_, i) => (i * 7 + (i >> 9)) & 0xff);
    let queued = 0;
    const got: number[] = [];
    const buf = new Uint8Array(65536);
    const srv = server as unknown as TcpSocket;
    assert.ok(
      sim.run_until(
        () => got.length === data.length,
        60_000_000,
        () => {
          if (queued < data.length) queued += srv.send_slice(data, queued);
          if (queued === data.length) srv.close();
          for (let n; (n = receiver.recv_slice(buf)) > 0;) for (let i = 0; i < n; i++) got.push(buf[i]);
        },
      ),
    );
    assert.deepStrictEqual(Uint8Array.from(got), data, "every byte, in order");

    const frames = sender.sent.filter((f) => f.payload_len > 0);
    const on_the_wire = frames.reduce((sum, f) => sum + f.payload_len, 0);
    assert.strictEqual(on_the_wire, data.length, "each byte sent once: the socket knew which frames the full device refused");
    assert.ok(
      frames.every((f) => f.payload_len <= 1460),
      "no frame carries more than the MSS",
    );
    // A frame cut from the middle of a segment has neither PSH nor FIN; one
    // that ends a segment has PSH. Most frames come from the middle.
    const middle = frames.filter((f) => !(f.flags & (TCP_PSH | TCP_FIN))).length;
    assert.ok(middle > frames.length / 2, `${middle} of ${frames.length} frames were cut from a larger segment`);
    // Consecutive frames of one burst follow each other in sequence space.
    let in_sequence = 0;
    for (let i = 1; i < frames.length; i++) {
      if (frames[i].seq === ((frames[i - 1].seq + frames[i - 1].payload_len) | 0)) in_sequence++;
    }
    assert.ok(in_sequence > frames.length * 0.9, `${in_sequence} of ${frames.length} frames followed the one before`);
  });

  it("keeps each segment's headers right while two streams and pings take turns on the sender (its headers are reused only where they fit)", () => {
    const sim = new Simulation({ delay_us: 200 });
    const streams = [80, 81].map((port) => {
      const listener = sim.b.sockets.add_tcp(new TcpSocket());
      listener.listen(port, 1);
      const receiver = sim.a.sockets.add_tcp(new TcpSocket());
      sim.a.iface.tcp_connect(sim.now, receiver, ADDR_B, port, 40000 + port);
      return { listener, receiver, sender: null as TcpSocket | null, queued: 0, got: [] as number[] };
    });
    assert.ok(sim.run_until(() => streams.every((s) => (s.sender = s.sender ?? s.listener.accept()) !== null)));
    // B's pings to A go between the segments: each makes B's header template an ICMP one.
    const ping = sim.b.sockets.add_icmp(new IcmpSocket());
    ping.bind(7);
    const data = new Uint8Array(200_000).map((_, i) => (i * 13 + (i >> 8)) & 0xff);
    const buf = new Uint8Array(65536);
    let turn = 0;
    assert.ok(
      sim.run_until(
        () => streams.every((s) => s.got.length === data.length),
        60_000_000,
        () => {
          const s = streams[turn++ % 2]; // one stream's data per step, the other's the next
          if (s.queued < data.length) s.queued += s.sender!.send_slice(data, s.queued, Math.min(16384, data.length - s.queued));
          // One ping out at a time: the next goes once its reply is back.
          if (turn === 1 || ping.recv_echo(buf) >= 0) ping.send_echo(ADDR_A, turn & 0xffff, new Uint8Array(8));
          for (const r of streams) for (let n; (n = r.receiver.recv_slice(buf)) > 0;) for (let i = 0; i < n; i++) r.got.push(buf[i]);
        },
      ),
    );
    for (const s of streams) assert.deepStrictEqual(Uint8Array.from(s.got), data, "every byte of each stream, in order");
    assert.strictEqual(sim.a.iface.stats.rx_dropped[Drop.BadChecksum], 0, "no frame had a wrong checksum");
    assert.ok(sim.a.iface.stats.rx_frames > 2 * (data.length / 1460), "the streams went in frames of at most an MSS");
  });
});
