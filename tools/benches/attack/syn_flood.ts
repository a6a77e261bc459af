// The SYN flood: spoofed SYNs to the telnet port as fast as the harness can
// put them on the wire (a burst of 16 per turn of the event loop, so the
// emulator runs between bursts), while a real client logs in, pings and
// echoes, and another opens a TCP connection to telnet at the flood's peak
// (half of it sent); then the same client again right after, and a minute
// later, to see whether the half-open connections the flood left behind let go.
import { TcpState } from "../../../net/socket/tcp";
import { GUEST } from "../../hostnet/user_net";
import { describe_mem, guest_mac, read_mem } from "../rig/guest_stats";
import type { GuestRig } from "../rig/guest_rig";
import { describe_probe, probe } from "../rig/real_client";
import { sleep } from "../rig/waiting";
import { SynSource } from "./syn_frames";

const BURST = 16;

/** eth0's received packets, from /proc/net/dev. */
async function eth0_rx_packets(rig: GuestRig): Promise<number> {
  const m = /^\s*eth0:\s*\d+\s+(\d+)/m.exec(await rig.con.run("cat /proc/net/dev", 120_000));
  if (!m) throw new Error("no eth0 in /proc/net/dev");
  return Number(m[1]);
}

/** Open a TCP connection from the station to the guest's telnet port: how long until it is established, or why not. */
async function connect_time(rig: GuestRig): Promise<string> {
  const connection = rig.station.connect(rig.station.addresses[0], GUEST, 23);
  const t0 = performance.now();
  while (connection.state !== TcpState.Established && performance.now() - t0 < 10_000) await sleep(2);
  const ms = performance.now() - t0;
  const state = connection.state;
  connection.abort();
  return state === TcpState.Established ? `established in ${ms.toFixed(0)} ms` : `not established in 10 s (${TcpState[state]})`;
}

/** Flood with `count` SYNs and report what the guest and the real client made of it. */
export async function syn_flood(rig: GuestRig, count: number, report: (line: string) => void): Promise<void> {
  const source = new SynSource(await guest_mac(rig.con), GUEST, 23);
  const link = rig.station.stack.link;
  const rx_before = await eth0_rx_packets(rig);
  const during = probe(rig);
  const t0 = performance.now();
  let sent = 0;
  let at_peak: Promise<string> | null = null;
  await new Promise<void>((resolve) => {
    const burst = () => {
      for (let i = 0; i < BURST && sent < count; i++, sent++) link.inject(source.next());
      if (at_peak === null && sent >= count / 2) at_peak = connect_time(rig);
      if (sent < count) setImmediate(burst);
      else resolve();
    };
    burst();
  });
  const flood_ms = performance.now() - t0;
  report(`offered ${count} SYNs from 127 spoofed addresses in ${flood_ms.toFixed(0)} ms (${((count / flood_ms) * 1000).toFixed(0)}/s)`);
  report(`a TCP connection to telnet opened at the flood's peak: ${await at_peak!}`);
  report(`real client during the flood: ${describe_probe(await during)}`);
  report(`real client right after:      ${describe_probe(await probe(rig))}`);
  report(`guest took in ${(await eth0_rx_packets(rig)) - rx_before} frames on eth0; ${describe_mem(await read_mem(rig.con))}`);
  await sleep(60_000);
  report(`a minute later: ${describe_mem(await read_mem(rig.con))}`);
  report(`real client a minute later:   ${describe_probe(await probe(rig))}`);
}
