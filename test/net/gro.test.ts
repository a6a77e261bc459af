import * as assert from "assert";
import type { Device, DeviceCapabilities, Frame } from "../../net/iface/device";
import { Gro, GRO_FLUSH_FIRST, GRO_HELD, GRO_NORMAL } from "../../net/iface/gro";
import { Interface } from "../../net/iface/interface";
import { SocketSet } from "../../net/socket/socket_set";
import { Drop } from "../../net/wire/error";
import type { FaultConfig } from "../../net/phy/memory_link";
import { TcpConfig, TcpSocket } from "../../net/socket/tcp";
import { mac } from "../../net/wire/address";
import { TcpRepr, TCP_ACK, TCP_FIN, TCP_PSH } from "../../net/wire/tcp";
import { ScriptDevice, tcp_frame } from "./frames";
import { ADDR_A, ADDR_B, MAC_B, Simulation } from "./harness";

/** B's device as it is, with GRO switched on. */
class GroDevice implements Device {
  readonly capabilities: DeviceCapabilities;
  constructor(private readonly inner: Device) {
    this.capabilities = { ...inner.capabilities, gro: true };
  }
  receive(now_us: number): Frame | null {
    return this.inner.receive(now_us);
  }
  transmit(now_us: number, length: number): Frame | null {
    return this.inner.transmit(now_us, length);
  }
  transmit_commit(now_us: number): void {
    this.inner.transmit_commit(now_us);
  }
}

/** Send `size` bytes from A to B over a link with `faults`; B (GRO on) reads them with `config`. Returns the simulation and what B read. */
function transfer(size: number, faults: Partial<FaultConfig>, config: Partial<TcpConfig> = {}) {
  const sim = new Simulation(faults, false, (device) => new GroDevice(device));
  const listener = sim.b.sockets.add_tcp(new TcpSocket(config));
  listener.listen(80, 1);
  const sender = sim.a.sockets.add_tcp(new TcpSocket());
  sim.a.iface.tcp_connect(sim.now, sender, ADDR_B, 80, 40000);
  let receiver: TcpSocket | null = null;
  assert.ok(sim.run_until(() => (receiver = receiver ?? listener.accept()) !== null && sender.is_established(), 60_000_000));
  const data = new Uint8Array(size).map((_, i) => (i * 13 + (i >> 11)) & 0xff);
  const got = new Uint8Array(size);
  let queued = 0;
  let read = 0;
  const buf = new Uint8Array(4096);
  assert.ok(
    sim.run_until(
      () => read === size,
      600_000_000,
      () => {
        if (queued < size) queued += sender.send_slice(data, queued);
        // Read all that has arrived, as an application woken by the socket does.
        for (let n; (n = (receiver as unknown as TcpSocket).recv_slice(buf)) > 0; read += n) got.set(buf.subarray(0, n), read);
      },
    ),
    `read ${read} of ${size}`,
  );
  assert.deepStrictEqual(got, data, "every byte, in order");
  const stats = sim.b.iface.stats;
  assert.strictEqual(stats.rx_frames, stats.rx_processed + stats.dropped_total(), "every frame processed or counted dropped");
  return sim;
}

describe("net: GRO", () => {
  it("merges a burst of in-order segments into one before TCP, and the stream arrives whole", () => {
    const sim = transfer(400_000, { delay_us: 300 });
    const stats = sim.b.iface.stats;
    assert.ok(stats.rx_gro_merged > stats.rx_frames / 2, `${stats.rx_gro_merged} of ${stats.rx_frames} frames merged`);
  });

  it("loses nothing on a link that drops, duplicates, reorders and corrupts, into a small receive window", () => {
    const sim = transfer(
      300_000,
      { delay_us: 300, drop: 0.02, duplicate: 0.02, reorder: 0.03, reorder_delay_us: 400, corrupt: 0.02, seed: 7 },
      { rx_buffer_size: 6000 },
    );
    assert.ok(sim.b.iface.stats.rx_gro_merged > 0);
  });

  it("takes plain data segments of one flow in sequence only", () => {
    const MAC_A = mac("02:00:00:00:00:01");
    assert.strictEqual(MAC_B, mac("02:00:00:00:00:02"));
    const segment = (seq: number, flags = TCP_ACK, payload = 100, src_port = 5000) => {
      const repr = new TcpRepr();
      repr.src_port = src_port;
      repr.dst_port = 80;
      repr.seq_number = seq;
      repr.ack_number = 77;
      repr.flags = flags;
      repr.window_len = 1000;
      repr.payload = new Uint8Array(payload).fill(seq & 0xff);
      repr.payload_len = payload;
      return tcp_frame(MAC_B, MAC_A, ADDR_A, ADDR_B, repr);
    };
    const offer = (gro: Gro, frame: Uint8Array) => gro.receive(frame, 0, frame.length, true);
    const gro = new Gro();
    assert.strictEqual(offer(gro, segment(1000)), GRO_HELD);
    assert.strictEqual(offer(gro, segment(1100, TCP_ACK | TCP_PSH)), GRO_HELD, "the next in sequence, PSH or not");
    assert.strictEqual(offer(gro, segment(1300)), GRO_FLUSH_FIRST, "a gap");
    assert.strictEqual(offer(gro, segment(1200, TCP_ACK, 100, 5001)), GRO_FLUSH_FIRST, "another flow");
    assert.strictEqual(offer(gro, segment(1200, TCP_ACK | TCP_FIN)), GRO_NORMAL, "a FIN");
    assert.strictEqual(offer(gro, segment(1200, TCP_ACK, 0)), GRO_NORMAL, "a pure ACK");
    const plain = segment(1200);
    const odd = new Uint8Array(plain.length + 1);
    odd.set(plain, 1);
    assert.strictEqual(gro.receive(odd, 1, odd.length - 1, true), GRO_NORMAL, "a frame at an odd address (GRO reads 16-bit words)");
    const corrupt = segment(1200);
    corrupt[60] ^= 1;
    assert.strictEqual(offer(gro, corrupt), GRO_NORMAL, "a bad checksum");
    assert.strictEqual(offer(gro, segment(1200, TCP_ACK, 40_000)), GRO_NORMAL, "too large for another as large to join");
    assert.strictEqual(gro.frames, 2);
    const length = gro.finish();
    assert.strictEqual(length, 14 + 20 + 20 + 200);
    assert.strictEqual((gro.buffer[16] << 8) | gro.buffer[17], 240, "the IP total length covers both payloads");
    assert.strictEqual(gro.buffer[47], TCP_ACK | TCP_PSH, "PSH carried over");
    assert.strictEqual(gro.frames, 0);
  });
  it("merges nothing addressed to another MAC: the stack drops each frame as not for us", () => {
    const iface = new Interface({ hardware_addr: MAC_B, addresses: [{ address: ADDR_B, prefix_len: 24 }] });
    const device = new ScriptDevice({ gro: true });
    const sockets = new SocketSet();
    for (const seq of [1000, 1100]) {
      const repr = new TcpRepr();
      repr.src_port = 5000;
      repr.dst_port = 80;
      repr.seq_number = seq;
      repr.ack_number = 77;
      repr.flags = TCP_ACK;
      repr.window_len = 1000;
      repr.payload = new Uint8Array(100);
      repr.payload_len = 100;
      device.inject(tcp_frame(mac("02:00:00:00:00:09"), mac("02:00:00:00:00:01"), ADDR_A, ADDR_B, repr));
    }
    iface.poll(0, device, sockets);
    assert.strictEqual(iface.stats.rx_gro_merged, 0);
    assert.strictEqual(iface.stats.rx_dropped[Drop.NotForUs], 2);
  });
});
