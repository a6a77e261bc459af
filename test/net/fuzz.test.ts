import * as assert from "assert";
import { Interface } from "../../net/iface/interface";
import { SocketSet } from "../../net/socket/socket_set";
import { TcpSocket, TcpState } from "../../net/socket/tcp";
import { UdpSocket } from "../../net/socket/udp";
import { IcmpSocket } from "../../net/socket/icmp";
import { TcpRepr, TCP_ACK, TCP_SYN, TCP_FIN, TCP_PSH } from "../../net/wire/tcp";
import { Drop, drop_names } from "../../net/wire/error";
import { ipv4, mac, MAC_BROADCAST } from "../../net/wire/address";
import { arp_frame, icmp_echo_frame, ScriptDevice, tcp_frame, udp_frame } from "./frames";
import { Device, Frame } from "../../net/iface/device";
import { Simulation, ADDR_B, pattern } from "./harness";

/**
 * Passes every real frame through, each followed by mutated copies. The NIC
 * claims to have verified checksums, so the mutations reach TCP itself.
 */
class MutatingDevice implements Device {
  readonly capabilities;
  private readonly copies: Uint8Array[] = [];
  private readonly frame: Frame = { buffer: new Uint8Array(0), offset: 0, length: 0 };
  constructor(
    private readonly inner: Device,
    private readonly copies_per_frame: number,
  ) {
    this.capabilities = { ...inner.capabilities, checksum_rx_offload: true };
  }
  receive(now_us: number): Frame | null {
    let next = this.copies.shift();
    if (next === undefined) {
      const real = this.inner.receive(now_us);
      if (real === null) return null;
      const original = real.buffer.slice(real.offset, real.offset + real.length);
      for (let i = 0; i < this.copies_per_frame; i++) this.copies.push(mutate(original));
      next = original;
    }
    this.frame.buffer = next;
    this.frame.length = next.length;
    return this.frame;
  }
  transmit(now_us: number, length: number): Frame | null {
    return this.inner.transmit(now_us, length);
  }
  transmit_commit(now_us: number): void {
    this.inner.transmit_commit(now_us);
  }
}

const ME = ipv4("192.168.1.10");
const PEER = ipv4("192.168.1.20");
const MY_MAC = mac("02:00:00:00:00:0a");
const PEER_MAC = mac("02:00:00:00:00:14");

/** Valid frames of every kind the interface understands; the fuzzer mutates these. */
function seed_frames(): Uint8Array[] {
  const seeds: Uint8Array[] = [];
  seeds.push(arp_frame(MAC_BROADCAST, PEER_MAC, 1, PEER_MAC, PEER, 0, ME));
  seeds.push(arp_frame(MY_MAC, PEER_MAC, 2, PEER_MAC, PEER, MY_MAC, ME));
  seeds.push(icmp_echo_frame(MY_MAC, PEER_MAC, PEER, ME, 8, 1, 1, new Uint8Array(32)));
  seeds.push(icmp_echo_frame(MY_MAC, PEER_MAC, PEER, ME, 0, 7, 1, new Uint8Array(8)));
  seeds.push(udp_frame(MY_MAC, PEER_MAC, PEER, ME, 1000, 53, new Uint8Array(20)));
  seeds.push(udp_frame(MY_MAC, PEER_MAC, PEER, ME, 1000, 54, new Uint8Array(3)));
  for (const flags of [TCP_SYN, TCP_ACK, TCP_ACK | TCP_PSH, TCP_FIN | TCP_ACK, TCP_SYN | TCP_ACK]) {
    const repr = new TcpRepr();
    repr.src_port = 5000;
    repr.dst_port = 80;
    repr.seq_number = 1000;
    repr.ack_number = 2000;
    repr.flags = flags;
    repr.window_len = 1000;
    if (flags & TCP_SYN) {
      repr.max_seg_size = 1460;
      repr.window_scale = 7;
      repr.sack_permitted = true;
    }
    if (flags & TCP_PSH) {
      repr.payload = new Uint8Array(100);
      repr.payload_len = 100;
    }
    seeds.push(tcp_frame(MY_MAC, PEER_MAC, PEER, ME, repr));
  }
  return seeds;
}

/** xorshift32 */
let state = 12345;
function rand(n: number): number {
  state ^= state << 13;
  state ^= state >>> 17;
  state ^= state << 5;
  return (state >>> 0) % n;
}

function mutate(seed: Uint8Array): Uint8Array {
  const kind = rand(10);
  let frame = seed.slice();
  if (kind < 5) {
    // flip a few bytes, biased to the headers
    const flips = 1 + rand(4);
    for (let i = 0; i < flips; i++) frame[rand(Math.min(frame.length, 64))] = rand(256);
  } else if (kind < 7) {
    frame = frame.slice(0, rand(frame.length + 1)); // truncate
  } else if (kind < 8) {
    const longer = new Uint8Array(frame.length + rand(64));
    longer.set(frame);
    frame = longer; // trailing padding/garbage
  } else {
    frame = new Uint8Array(rand(200));
    for (let i = 0; i < frame.length; i++) frame[i] = rand(256);
    if (frame.length > 14 && rand(2)) {
      frame[12] = 8;
      frame[13] = rand(2) ? 0 : 6;
    } // pretend IPv4/ARP
  }
  return frame;
}

describe("net: interface fuzzing", () => {
  it("survives 100k random and mutated frames and accounts for every one", function () {
    this.timeout(30000);
    const sockets = new SocketSet();
    sockets.add_tcp(new TcpSocket({ rx_buffer_size: 4096, tx_buffer_size: 4096 })).listen(80, 8);
    sockets.add_udp(new UdpSocket()).bind(53);
    sockets.add_icmp(new IcmpSocket()).bind(7);
    const seeds = seed_frames();
    const total = 100_000;
    let now = 0;
    for (const offload of [false, true]) {
      const device = new ScriptDevice({ checksum_rx_offload: offload });
      device.keep_sent = false;
      const iface = new Interface({ hardware_addr: MY_MAC, addresses: [{ address: ME, prefix_len: 24 }] });
      for (let i = 0; i < total / 2; i++) {
        const seed = seeds[rand(seeds.length)];
        device.inject(rand(8) === 0 ? seed : mutate(seed));
        iface.poll_ingress_single(now, device, sockets);
        if ((i & 63) === 0) {
          now += 10_000;
          iface.poll_egress(now, device, sockets);
        }
      }
      const s = iface.stats;
      assert.strictEqual(s.rx_frames, total / 2);
      assert.strictEqual(s.rx_processed + s.dropped_total(), s.rx_frames);
      assert.ok(s.rx_processed > 1000, "some frames got all the way through");
      const reasons = drop_names.filter((_, i) => s.rx_dropped[i] > 0);
      assert.ok(reasons.length >= 6, `several drop reasons seen: ${reasons}`);
      assert.ok(s.rx_dropped[offload ? Drop.BadOption : Drop.BadChecksum] > 0);
    }
  });

  it("survives mutated copies of a live TCP connection and still accounts for every frame", function () {
    this.timeout(30000);
    let mutator: MutatingDevice | null = null;
    const sim = new Simulation({ delay_us: 1000 }, false, (device) => (mutator = new MutatingDevice(device, 3)));
    const listener = sim.b.sockets.add_tcp(new TcpSocket());
    listener.listen(80, 4);
    const data = pattern(64 * 1024, 9);
    const sink = new Uint8Array(64 * 1024);
    const stats = sim.b.iface.stats;
    let client = sim.a.sockets.add_tcp(new TcpSocket({ max_retransmits: 3 }));
    let connections = 1;
    sim.a.iface.tcp_connect(sim.now, client, ADDR_B, 80, 40000);
    const finished = sim.run_until(
      () => stats.rx_frames >= 40_000,
      36_000_000_000,
      () => {
        if (client.state === TcpState.Closed || client.state === TcpState.TimeWait) {
          // The mutations killed it (e.g. an exact RST): start another connection.
          sim.a.sockets.remove_tcp(client);
          client = sim.a.sockets.add_tcp(new TcpSocket({ max_retransmits: 3 }));
          sim.a.iface.tcp_connect(sim.now, client, ADDR_B, 80, 40000 + connections++);
        }
        client.send_slice(data);
        for (let s = listener.accept(); s !== null; s = listener.accept()) s.recv_slice(sink);
        for (const s of sim.b.sockets.tcp) s.recv_slice(sink);
      },
    );
    assert.ok(finished && mutator !== null);
    assert.ok(stats.rx_frames >= 40_000, `${stats.rx_frames} frames over ${connections} connections`);
    assert.strictEqual(stats.rx_processed + stats.dropped_total(), stats.rx_frames);
  });
});
