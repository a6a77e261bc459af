// tools/bench profile [ne2k|virtio] [ping|tcp-rx|udp-flood|tcp-tx|syn-flood]: where
// napkin's instructions per packet go. Boots napkin with the NIC, drives the
// workload from the host side (napkin's own stack under Node; for tcp-tx, the
// guest's tcpsend over a telnet session, to a discard sink on the host; for
// syn-flood, spoofed SYNs to telnet from addresses that never answer ARP),
// warms v86's JIT up, then prints
//   (a) guest instructions per received frame (per sent frame for tcp-tx),
//       in all and split by stage: the
//       guest writes a stage mark to the trace port as the CPU enters each
//       stage of the receive path (kernel/lib/trace.ts, `perf trace on`); at
//       every mark this tool reads v86's instruction counter and charges the
//       instructions since the previous mark to that mark's stage;
//   (b) the guest's own sampled profile (`perf top`) under the same workload,
//       with the marks off.
import { TRACE_PORT } from "../../kernel/hal/hal";
import { TRACE_CALIBRATE, TRACE_IDLE, TRACE_STAGE_NAMES, TRACE_TX } from "../../kernel/lib/trace";
import { IcmpSocket } from "../../net/socket/icmp";
import { TcpSocket, TcpState } from "../../net/socket/tcp";
import { UdpSocket } from "../../net/socket/udp";
import { ipv4 } from "../../net/wire/address";
import { PROMPT, SerialConsole } from "../../test/boot/serial_console";
import { TelnetClient } from "../../test/boot/telnet_client";
import { HostStack, host_now_us } from "../hostnet/host_stack";
import { HostInetServices, TCPSEND_BYTE } from "../hostnet/inet_services";
import { PortForward } from "../hostnet/port_forward";
import { V86Link } from "../hostnet/v86_link";
import { SynSource } from "./attack/syn_frames";
import { guest_mac } from "./rig/guest_stats";
import { InstructionClock, pace_rtc_by_instructions } from "./rig/paced_profiler";

const GUEST = "10.0.2.15";
const HOST = "10.0.2.2";
/** Workload units (pings, datagrams, TCP segments) to warm the JIT up with, then to measure. */
const WARM_UP = 1500;
const MEASURED = 3000;
/** udp-flood offers FLOOD_BURST datagrams every FLOOD_BURST_EVERY_MS. */
const FLOOD_BURST = 8;
const FLOOD_BURST_EVERY_MS = 2;
/** syn-flood offers SYN_BURST SYNs every FLOOD_BURST_EVERY_MS. */
const SYN_BURST = 4;
/** tcp-rx queues this many segments' worth of data per turn of the host's event loop (the versus bench's frames per turn). */
const TCP_RX_SEGMENTS_PER_TURN = 8;
/** How long perf top samples. */
const PROFILE_SECONDS = 5;
/** Guest instructions between two of the profiler's interrupts (see pace_rtc_by_instructions). */
const INSTRUCTIONS_PER_SAMPLE = 250_000;

type Nic = "ne2k" | "virtio";
/** Moves `units` of traffic (or until stopped) and resolves when it is through. */
type Workload = (units: number, stopped: () => boolean) => Promise<void>;
/** A workload, and the direction of the frames its cost is counted per. */
interface WorkloadSpec {
  make: (host: HostStack, guest_mac: number) => Workload;
  per: "rx" | "tx";
}

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Charges the instructions between consecutive stage marks to the earlier mark's stage. */
class StageLedger {
  readonly instructions = new Array<number>(TRACE_STAGE_NAMES.length).fill(0);
  readonly marks = new Array<number>(TRACE_STAGE_NAMES.length).fill(0);
  /** What a mark itself costs, from the calibration marks; taken off every interval. */
  mark_cost = 0;
  /** From the end of the last transmit before each halt to the halt, summed over the halts that had one. */
  after_reply = 0;
  replies = 0;
  recording = false;
  private stage = 0;
  private at = 0;
  private calibration: number[] = [];
  private tail: number | null = null; // after_reply of the current wake-up so far; null before a transmit

  mark(stage: number, now: number): void {
    const spent = Math.max(0, now - this.at - this.mark_cost);
    if (this.stage === TRACE_CALIBRATE && stage === TRACE_CALIBRATE) this.calibration.push(now - this.at);
    else if (stage !== TRACE_CALIBRATE && this.calibration.length > 0 && this.mark_cost === 0) this.mark_cost = median(this.calibration);
    if (this.recording && this.stage !== 0) {
      this.instructions[this.stage] += spent;
      this.marks[this.stage]++;
      if (this.tail !== null && this.stage !== TRACE_TX) this.tail += spent;
    }
    if (stage === TRACE_TX) this.tail = 0;
    if (stage === TRACE_IDLE && this.tail !== null) {
      if (this.recording) {
        this.after_reply += this.tail;
        this.replies++;
      }
      this.tail = null;
    }
    this.stage = stage;
    this.at = now;
  }

  reset(): void {
    this.instructions.fill(0);
    this.marks.fill(0);
    this.after_reply = 0;
    this.replies = 0;
  }
}

function median(values: number[]): number {
  const sorted = values.slice().sort((a, b) => a - b);
  return sorted[sorted.length >> 1];
}

function ping_workload(host: HostStack): Workload {
  const socket = host.sockets.add_icmp(new IcmpSocket());
  socket.bind(0x7072);
  const reply = new Uint8Array(128);
  const payload = new Uint8Array(56);
  let seq = 0;
  return async (units, stopped) => {
    for (let i = 0; i < units && !stopped(); i++) {
      seq = (seq + 1) & 0xffff;
      socket.send_echo(ipv4(GUEST), seq, payload);
      host.poll();
      const deadline = Date.now() + 2000;
      while (!(socket.recv_echo(reply) >= 0 && socket.last_seq_no === seq)) {
        if (Date.now() > deadline) throw new Error(`ping ${seq}: no reply`);
        await turn();
      }
    }
  };
}

/**
 * Small datagrams to the discard port, offered faster than the guest takes
 * them (it drops the rest, and counts only what it took), but paced, so
 * that the measured stretch holds thousands of frames taken.
 */
function udp_flood_workload(host: HostStack): Workload {
  const socket = host.sockets.add_udp(new UdpSocket(64, 64 * 128));
  socket.bind(40009);
  const payload = new Uint8Array(18);
  return async (units, stopped) => {
    for (let sent = 0; sent < units && !stopped();) {
      for (let burst = 0; burst < FLOOD_BURST && sent < units && socket.can_send(); burst++, sent++) {
        socket.send_slice(payload, ipv4(GUEST), 9);
      }
      host.poll();
      await new Promise((resolve) => setTimeout(resolve, FLOOD_BURST_EVERY_MS));
    }
  };
}

/**
 * One TCP stream to the discard port, a unit being a full-sized segment's
 * worth of bytes, queued TCP_RX_SEGMENTS_PER_TURN at a time: the shape of
 * the versus bench's bulk transfer, whose frames reach the guest in bursts.
 */
function tcp_rx_workload(host: HostStack): Workload {
  const socket = host.sockets.add_tcp(new TcpSocket());
  const chunk = new Uint8Array(1460);
  let connected: Promise<void> | null = null;
  const connect = async () => {
    host.iface.tcp_connect(host_now_us(), socket, ipv4(GUEST), 9, 40010);
    for (const deadline = Date.now() + 10_000; socket.state !== TcpState.Established; await turn()) {
      if (Date.now() > deadline) throw new Error(`tcp-rx: connection ${TcpState[socket.state]}`);
      host.poll();
    }
  };
  return async (units, stopped) => {
    await (connected ??= connect());
    let queued = 0;
    while (!stopped() && (queued < units * chunk.length || socket.send_queue() > 0)) {
      for (let i = 0; i < TCP_RX_SEGMENTS_PER_TURN && queued < units * chunk.length; i++) queued += socket.send_slice(chunk);
      host.poll();
      await turn();
    }
  };
}

/**
 * The guest sends: its tcpsend streams to the host's discard service (which
 * checks every byte), run over a telnet session so that the serial console
 * stays free for perf; a unit is a full-sized segment's worth of bytes.
 * Stopped, it is interrupted.
 */
function tcp_tx_workload(host: HostStack): Workload {
  new HostInetServices(host, () => TCPSEND_BYTE);
  let session: Promise<TelnetClient> | null = null;
  const login = async () => {
    const forward = new PortForward(host, ipv4(GUEST), { host_port: 0, guest_port: 23, bind: "127.0.0.1" });
    const client = await TelnetClient.connect(await forward.listen());
    await client.login("napkin");
    return client;
  };
  return async (units, stopped) => {
    const client = await (session ??= login());
    const from = client.text.length;
    client.send_line(`tcpsend ${HOST} ${Number.isFinite(units) ? units * 1460 : 2 ** 40}`);
    const done = client.wait_for(PROMPT, from + PROMPT.length, 600_000);
    let finished = false;
    void done.then(() => (finished = true));
    while (!finished && !stopped()) await new Promise((resolve) => setTimeout(resolve, 5));
    if (!finished) client.socket.write(Uint8Array.of(3)); // Ctrl-C
    await done;
  };
}

/**
 * A SYN flood as tools/bench attack offers it, but paced like udp-flood:
 * what one spoofed SYN costs the guest, from the frame to the SYN-ACK it
 * parks for an ARP answer that never comes.
 */
function syn_flood_workload(host: HostStack, guest_mac: number): Workload {
  const source = new SynSource(guest_mac, ipv4(GUEST), 23);
  return async (units, stopped) => {
    for (let sent = 0; sent < units && !stopped();) {
      for (let burst = 0; burst < SYN_BURST && sent < units; burst++, sent++) host.link.inject(source.next());
      await new Promise((resolve) => setTimeout(resolve, FLOOD_BURST_EVERY_MS));
    }
  };
}

const WORKLOADS: Record<string, WorkloadSpec> = {
  ping: { make: ping_workload, per: "rx" },
  "tcp-rx": { make: tcp_rx_workload, per: "rx" },
  "udp-flood": { make: udp_flood_workload, per: "rx" },
  "tcp-tx": { make: tcp_tx_workload, per: "tx" },
  "syn-flood": { make: syn_flood_workload, per: "rx" },
};

/** Frames eth0 has received or sent, from the guest's own counter. */
async function guest_frames(con: SerialConsole, direction: "rx" | "tx"): Promise<number> {
  const out = await con.run("ip -s link show dev eth0");
  const m = out.match(direction === "rx" ? /RX: bytes.*\n\s*\d+\s+(\d+)/ : /TX: bytes.*\n\s*\d+\s+(\d+)/);
  if (!m) throw new Error(`no ${direction.toUpperCase()} counter in:\n${out}`);
  return Number(m[1]);
}

const k = (instructions: number): string => `${(instructions / 1000).toFixed(1)}k`;

function print_stages(ledger: StageLedger, frames: number, total: number, per: "rx" | "tx"): void {
  const marked = ledger.instructions.reduce((a, b) => a + b, 0);
  if (marked === 0) {
    console.log("no stage marks seen: the receive path has no trace_stage() calls (kernel/lib/trace.ts)");
    return;
  }
  console.log(`${"stage".padEnd(12)}${`per ${per} frame`.padStart(14)}${"share".padStart(8)}${"marks/frame".padStart(13)}`);
  TRACE_STAGE_NAMES.forEach((name, stage) => {
    if (ledger.marks[stage] === 0) return;
    const per_frame = ledger.instructions[stage] / frames;
    console.log(
      `${name.padEnd(12)}${k(per_frame).padStart(14)}${`${((100 * ledger.instructions[stage]) / total).toFixed(1)}%`.padStart(8)}${(ledger.marks[stage] / frames).toFixed(2).padStart(13)}`,
    );
  });
  const marks = ledger.marks.reduce((a, b) => a + b, 0);
  console.log(
    `${"the marks".padEnd(12)}${k((marks * ledger.mark_cost) / frames).padStart(14)}${`${((100 * marks * ledger.mark_cost) / total).toFixed(1)}%`.padStart(8)}   (${ledger.mark_cost} instructions each, calibrated, taken off the stages)`,
  );
  if (per === "rx" && ledger.replies > 0) {
    console.log(
      `after the reply (the last transmit before a halt) until the halt: ${k(ledger.after_reply / ledger.replies)} per reply, ${ledger.replies} replies`,
    );
  }
}

async function main(): Promise<void> {
  const nic = (process.argv[2] ?? "ne2k") as Nic;
  const workload_name = process.argv[3] ?? "ping";
  if (!["ne2k", "virtio"].includes(nic) || !(workload_name in WORKLOADS)) {
    console.error(`usage: tools/bench profile [ne2k|virtio] [${Object.keys(WORKLOADS).join("|")}]`);
    process.exit(2);
  }
  const con = await SerialConsole.boot({ nic, cmdline: `ip=${GUEST}/24 gw=${HOST} dhcp_timeout=0` });
  const host = new HostStack(new V86Link(con.vm.emulator.bus), { address: `${HOST}/24` });
  const { make, per } = WORKLOADS[workload_name];
  const workload = make(host, await guest_mac(con));
  const clock = new InstructionClock(con.vm.emulator);
  const ledger = new StageLedger();
  pace_rtc_by_instructions(con.vm.emulator, clock, INSTRUCTIONS_PER_SAMPLE);
  con.vm.emulator.v86.cpu.io.register_write(TRACE_PORT, {}, (stage: number) => ledger.mark(stage, clock.now()));

  await con.run("perf trace on");
  await workload(WARM_UP, () => false);
  const frames_before = await guest_frames(con, per);
  ledger.reset();
  ledger.recording = true;
  const start = clock.now();
  await workload(MEASURED, () => false);
  await new Promise((resolve) => setTimeout(resolve, 100)); // the last frames through
  const total = clock.now() - start;
  ledger.recording = false;
  const frames = (await guest_frames(con, per)) - frames_before;
  await con.run("perf trace off");

  const frames_said = per === "rx" ? "received" : "sent";
  console.log(`napkin on ${nic}, ${workload_name}: ${frames} frames ${frames_said} after ${WARM_UP} units to warm up`);
  console.log(`guest instructions per ${frames_said} frame: ${k(total / frames)} (all the guest ran meanwhile)`);
  console.log("");
  print_stages(ledger, frames, total, per);

  let stop = false;
  const running = workload(Infinity, () => stop);
  const report = await con.run(`perf top ${PROFILE_SECONDS}`, 120_000);
  stop = true;
  await running;
  console.log("");
  console.log(`the guest's own profile, its interrupt paced to every ${k(INSTRUCTIONS_PER_SAMPLE)} guest instructions:`);
  console.log(report.trimEnd());

  clock.stop();
  host.stop();
  await con.close();
  process.exit(0);
}

void main();
