// The measurements of alloc.test.ts, run in a Node process of their own
// (see there why): prints one JSON line, each workload's young-generation
// growth and collections.
import * as v8 from "v8";
import { PerformanceObserver } from "perf_hooks";
import { Interface } from "../../net/iface/interface";
import { SocketSet } from "../../net/socket/socket_set";
import { UdpSocket } from "../../net/socket/udp";
import { Frame, Device } from "../../net/iface/device";
import { ipv4, mac } from "../../net/wire/address";
import { udp_frame } from "./frames";
import { Simulation, pattern, ADDR_B } from "./harness";
import { TcpSocket } from "../../net/socket/tcp";
import { set_copy_helper } from "../../net/wire/bytes";

function copy_loop(dst: Uint8Array, dst_offset: number, src: Uint8Array, src_offset: number, length: number): void {
  if (dst === src) dst.copyWithin(dst_offset, src_offset, src_offset + length);
  else for (let i = 0; i < length; i++) dst[dst_offset + i] = src[src_offset + i];
}

/** Replays one frame forever; transmit goes to a scratch buffer. */
class ReplayDevice implements Device {
  readonly capabilities = { max_transmission_unit: 1514, max_burst_size: 16, checksum_rx_offload: false, checksum_tx_offload: false };
  private readonly rx: Frame;
  private readonly tx: Frame = { buffer: new Uint8Array(1514), offset: 0, length: 0 };
  constructor(frame: Uint8Array) {
    this.rx = { buffer: frame, offset: 0, length: frame.length };
  }
  receive(): Frame {
    return this.rx;
  }
  transmit(_now: number, length: number): Frame {
    this.tx.length = length;
    return this.tx;
  }
  transmit_commit(): void {}
}

function new_space_used(): number {
  return v8.getHeapSpaceStatistics().find((s) => s.space_name === "new_space")!.space_used_size;
}

/**
 * Young-generation growth while running `body`: the least of three attempts
 * that ran without a GC. A real per-packet allocation grows every attempt by
 * at least a small object per packet; what V8 itself allocates now and then
 * (code, feedback) does not recur, so one clean attempt shows it is not ours.
 */
async function measure(body: () => void): Promise<{ bytes: number; gcs: number }> {
  let least = Infinity;
  let gcs_seen = 0;
  for (let attempt = 0; attempt < 3; attempt++) {
    let gcs = 0;
    const observer = new PerformanceObserver((list) => {
      gcs += list.getEntries().length;
    });
    observer.observe({ entryTypes: ["gc"] });
    const before = new_space_used();
    body();
    const bytes = new_space_used() - before;
    await new Promise((resolve) => setTimeout(resolve, 20));
    observer.disconnect();
    if (gcs === 0) least = Math.min(least, bytes);
    else gcs_seen += gcs;
  }
  return least < Infinity ? { bytes: least, gcs: 0 } : { bytes: Infinity, gcs: gcs_seen };
}

/** UDP: one frame replayed into a socket and read back, UDP_PACKETS times. */
export const UDP_PACKETS = 100_000;
/**
 * TCP: bytes moved between two stacks while measured. Enough that one small
 * object per segment (16 bytes or more, over ~46 k segments: 700 KiB) would
 * stand well clear of what V8 allocates for itself now and then.
 */
export const TCP_BYTES = 64 << 20;

async function udp(): Promise<{ bytes: number; gcs: number; unprocessed: number }> {
  const me = ipv4("10.1.0.1"),
    peer = ipv4("10.1.0.2");
  const my_mac = mac("02:00:00:00:01:01");
  const frame = udp_frame(my_mac, mac("02:00:00:00:01:02"), peer, me, 1111, 7, new Uint8Array(512));
  const iface = new Interface({ hardware_addr: my_mac, addresses: [{ address: me, prefix_len: 24 }] });
  const sockets = new SocketSet();
  const socket = sockets.add_udp(new UdpSocket(4, 4096));
  socket.bind(7);
  const device = new ReplayDevice(frame);
  const out = new Uint8Array(2048);
  const run = (n: number) => {
    for (let i = 0; i < n; i++) {
      iface.poll_ingress_single(i, device, sockets);
      socket.recv_slice(out);
    }
  };
  run(50_000); // warm up: let the JIT settle
  const { bytes, gcs } = await measure(() => run(UDP_PACKETS));
  return { bytes, gcs, unprocessed: iface.stats.rx_frames - iface.stats.rx_processed };
}

async function tcp(): Promise<{ bytes: number; gcs: number }> {
  const sim = new Simulation({ delay_us: 100 });
  const listener = sim.b.sockets.add_tcp(new TcpSocket());
  listener.listen(80, 1);
  const client = sim.a.sockets.add_tcp(new TcpSocket());
  sim.a.iface.tcp_connect(sim.now, client, ADDR_B, 80, 40000);
  let server: TcpSocket | null = null;
  sim.run_until(() => (server = server ?? listener.accept()) !== null);
  const srv = server!;
  const data = pattern(64 * 1024, 1);
  const sink = new Uint8Array(64 * 1024);
  let moved = 0;
  const pump = () => {
    client.send_slice(data);
    moved += srv.recv_slice(sink);
  };
  const run = (bytes: number) => {
    const target = moved + bytes;
    sim.run_until(() => moved >= target, 600_000_000, pump);
  };
  run(8 << 20); // warm up
  return measure(() => run(TCP_BYTES));
}

async function main(): Promise<void> {
  set_copy_helper(copy_loop);
  console.log(JSON.stringify({ udp: await udp(), tcp: await tcp() }));
}

if (require.main === module) void main();
