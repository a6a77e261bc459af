// Two interfaces on a MemoryLink driven by a fake clock: poll both, and when
// neither has work, jump time to the next deadline or frame arrival.
import * as assert from "assert";
import { TcpSocket, TcpState } from "../../net/socket/tcp";
import { Interface } from "../../net/iface/interface";
import { MemoryLink, FaultConfig } from "../../net/phy/memory_link";
import { SocketSet } from "../../net/socket/socket_set";
import { ipv4, mac } from "../../net/wire/address";
import { Device } from "../../net/iface/device";
import { PcapDevice, PcapWriter } from "../../net/pcap";

export const ADDR_A = ipv4("10.0.0.1");
export const ADDR_B = ipv4("10.0.0.2");
export const MAC_A = mac("02:00:00:00:00:01");
export const MAC_B = mac("02:00:00:00:00:02");

export class Host {
  readonly sockets = new SocketSet();
  constructor(
    readonly iface: Interface,
    readonly device: Device,
  ) {}
}

export class Simulation {
  now = 0;
  readonly link: MemoryLink;
  readonly a: Host;
  readonly b: Host;
  readonly capture: PcapWriter | null;
  steps = 0;

  /** `wrap_b` lets a test interpose on B's device (e.g. to inject frames). */
  constructor(faults: Partial<FaultConfig> = {}, capture = false, wrap_b: (device: Device) => Device = (d) => d) {
    this.link = new MemoryLink(faults);
    this.capture = capture ? new PcapWriter() : null;
    // The capture records what each end sends, before the link's faults.
    const dev_a: Device = this.capture ? new PcapDevice(this.link.a, this.capture, false) : this.link.a;
    const dev_b: Device = this.capture ? new PcapDevice(this.link.b, this.capture, false) : this.link.b;
    this.a = new Host(new Interface({ hardware_addr: MAC_A, addresses: [{ address: ADDR_A, prefix_len: 24 }] }), dev_a);
    this.b = new Host(new Interface({ hardware_addr: MAC_B, addresses: [{ address: ADDR_B, prefix_len: 24 }] }), wrap_b(dev_b));
  }

  step(): void {
    this.steps++;
    this.a.iface.poll(this.now, this.a.device, this.a.sockets);
    this.b.iface.poll(this.now, this.b.device, this.b.sockets);
  }

  /** When something next needs to happen (never earlier than now). */
  next_event(): number {
    let at = this.link.next_delivery_at();
    const ta = this.a.iface.poll_at(this.now, this.a.sockets);
    const tb = this.b.iface.poll_at(this.now, this.b.sockets);
    if (ta !== null && ta < at) at = ta;
    if (tb !== null && tb < at) at = tb;
    return at;
  }

  /** Run until `done()` holds, calling `tick` after each step; false if the time limit passed first. */
  run_until(done: () => boolean, limit_us = 600_000_000, tick?: () => void): boolean {
    const stop = this.now + limit_us;
    let idle_steps = 0;
    while (!done()) {
      this.step();
      if (tick) tick();
      if (done()) return true;
      const next = this.next_event();
      if (next > this.now) {
        if (next === Infinity || next > stop) return false;
        this.now = next;
        idle_steps = 0;
      } else if (++idle_steps > 1000) {
        throw new Error(`simulation is spinning at t=${this.now}`);
      }
    }
    return true;
  }
}

/** Deterministic pseudo-random bytes so corruption or misordering cannot go unnoticed. */
export function pattern(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed;
  for (let i = 0; i < length; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

/** Move `data` from A to B over `sim`, returning what B read. */
export function transfer(sim: Simulation, data: Uint8Array, limit_us: number): Uint8Array {
  const listener = sim.b.sockets.add_tcp(new TcpSocket());
  listener.listen(5001, 1); // a port no dissector claims, so tshark shows plain TCP
  const client = sim.a.sockets.add_tcp(new TcpSocket());
  sim.a.iface.tcp_connect(sim.now, client, ADDR_B, 5001, 40000);
  const received = new Uint8Array(data.length);
  let sent = 0,
    got = 0;
  let server: TcpSocket | null = null;
  // Done when every byte arrived and the FIN behind them too.
  const ok = sim.run_until(
    () => got === data.length && server !== null && server.at_eof(),
    limit_us,
    () => {
      if (sent < data.length) {
        sent += client.send_slice(data, sent);
        if (sent === data.length) client.close();
      }
      server = server ?? listener.accept();
      if (server !== null) got += server.recv_slice(received, got);
    },
  );
  assert.ok(ok, `transfer stalled at ${got}/${data.length} bytes, t=${sim.now}us, client ${TcpState[client.state]}`);
  return received;
}
