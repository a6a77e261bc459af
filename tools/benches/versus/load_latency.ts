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
const BUDGET_MS = 10_000;

export interface EchoLatency {
  samples: number;
  p50_ms: number;
  p99_ms: number;
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

async function echoes(echo_ms: (n: number) => Promise<number>): Promise<EchoLatency> {
  const ms: number[] = [];
  const deadline = performance.now() + BUDGET_MS;
  while (ms.length < SAMPLES && performance.now() < deadline) ms.push(await echo_ms(ms.length));
  return { samples: ms.length, p50_ms: percentile(ms, 50), p99_ms: percentile(ms, 99) };
}

async function serial_echo_ms(guest: Guest, n: number): Promise<number> {
  const t0 = performance.now();
  await guest.shell.run(`echo ${n}`);
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
    const telnet = (n: number) => probe.echo_ms(n);
    const serial = (n: number) => serial_echo_ms(guest, n);
    const telnet_idle = await echoes(telnet);
    const serial_idle = await echoes(serial);
    const flood = new UdpFlood(guest, await guest_mac(guest), flood_pps);
    flood.start();
    const telnet_flooded = await echoes(telnet);
    const serial_flooded = await echoes(serial);
    const flood_offered_pps = flood.stop();
    const command = guest.profile.poll_lateness_command;
    const poll_lateness = command ? parse_poll_lateness(await guest.shell.run(command)) : null;
    return { mode, flood_offered_pps, telnet_idle, telnet_flooded, serial_idle, serial_flooded, poll_lateness };
  } finally {
    probe.close();
  }
}
