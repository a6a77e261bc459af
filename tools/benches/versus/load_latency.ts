// latency-under-load: shell echo latency with the NIC idle and then flooded
// (small UDP datagrams at the rate that saturates the guest), over telnet
// (through the flooded NIC) and over the serial line (which only the guest's
// CPU stands between), and, where the guest has one, the lateness of the
// thread that wakes for the network's timers (napkin's netns_poll;
// /proc/net/netns_poll keeps it since boot). An echo whose segment is lost in
// an overflowing ring waits for a retransmission, seconds perhaps, so
// sampling stops after a time budget.
import { Guest } from "./guest";
import { NicMode } from "./guest_profile";
import { percentile } from "./stats";
import { TelnetProbe } from "./telnet_probe";
import { UdpFlood, guest_mac } from "./udp_flood";

const SAMPLES = 20;
const BUDGET_MS = 6_000;
/** The least an echo is waited for, even when the budget is nearly spent. */
const MIN_WAIT_MS = 2_000;

export interface EchoLatency {
  samples: number;
  p50_ms: number;
  p99_ms: number;
  /** The last echo did not come back in time: its sample is how long it was waited for, a lower bound. */
  timed_out: boolean;
}

export interface PollLateness {
  wakeups: number;
  p50_us: number;
  p99_us: number;
  max_us: number;
}

export interface LoadLatency {
  mode: NicMode;
  flood_offered_pps: number;
  telnet_idle: EchoLatency;
  telnet_flooded: EchoLatency;
  serial_idle: EchoLatency;
  serial_flooded: EchoLatency;
  /** After the flood; null where the guest has no such thread. */
  poll_lateness: PollLateness | null;
}

/** Echoes one after another until SAMPLES, the time budget, or one that does not come back. */
async function echoes(echo_ms: (n: number, timeout_ms: number) => Promise<number>): Promise<EchoLatency> {
  const ms: number[] = [];
  const deadline = performance.now() + BUDGET_MS;
  let timed_out = false;
  while (ms.length < SAMPLES && performance.now() < deadline && !timed_out) {
    const wait = Math.max(MIN_WAIT_MS, deadline - performance.now());
    const t0 = performance.now();
    try {
      ms.push(await echo_ms(ms.length, wait));
    } catch {
      ms.push(performance.now() - t0);
      timed_out = true;
    }
  }
  return { samples: ms.length, p50_ms: percentile(ms, 50), p99_ms: percentile(ms, 99), timed_out };
}

async function serial_echo_ms(guest: Guest, n: number, timeout_ms: number): Promise<number> {
  const t0 = performance.now();
  await guest.shell.run(`echo ${n}`, timeout_ms);
  return performance.now() - t0;
}

/** The init_net line of /proc/net/netns_poll. */
export function parse_poll_lateness(text: string): PollLateness | null {
  const m = /^init_net\s+(\d+)\s+\d+\s+(\d+)\s+(\d+)\s+(\d+)/m.exec(text);
  return m ? { wakeups: Number(m[1]), p50_us: Number(m[2]), p99_us: Number(m[3]), max_us: Number(m[4]) } : null;
}

export async function load_latency(guest: Guest, mode: NicMode, flood_pps: number): Promise<LoadLatency> {
  if (guest.profile.mode_command) await guest.shell.run(guest.profile.mode_command(mode));
  const probe = await TelnetProbe.open(guest);
  try {
    const telnet = (n: number, timeout_ms: number) => probe.echo_ms(n, timeout_ms);
    const serial = (n: number, timeout_ms: number) => serial_echo_ms(guest, n, timeout_ms);
    const telnet_idle = await echoes(telnet);
    const serial_idle = await echoes(serial);
    if (serial_idle.timed_out) await guest.shell.resync();
    const flood = new UdpFlood(guest, await guest_mac(guest), flood_pps);
    flood.start();
    let telnet_flooded: EchoLatency;
    let serial_flooded: EchoLatency;
    let flood_offered_pps: number;
    try {
      telnet_flooded = await echoes(telnet);
      serial_flooded = await echoes(serial);
    } finally {
      flood_offered_pps = flood.stop();
    }
    if (serial_flooded.timed_out) await guest.shell.resync();
    const command = guest.profile.poll_lateness_command;
    const poll_lateness = command ? parse_poll_lateness(await guest.shell.run(command)) : null;
    return { mode, flood_offered_pps, telnet_idle, telnet_flooded, serial_idle, serial_flooded, poll_lateness };
  } finally {
    probe.close();
  }
}
