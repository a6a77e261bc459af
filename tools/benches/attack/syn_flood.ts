// The SYN flood: spoofed SYNs to the telnet port as fast as the harness can
// put them on the wire (a burst of 16 per turn of the event loop, so the
// emulator runs between bursts), while a real client logs in, pings and
// echoes, and new clients open TCP connections to telnet around the flood's
// peak (one each time another 5% of it is sent, from 40% to 60%, each from
// its own address); then the real client again right after, and a minute
// later, to see whether the half-open connections the flood left behind let go.
import { TcpState } from "../../../net/socket/tcp";
import { GUEST } from "../../hostnet/user_net";
import { describe_mem, guest_mac, read_mem, read_tcp_ext } from "../rig/guest_stats";
import type { GuestRig } from "../rig/guest_rig";
import { describe_probe, probe } from "../rig/real_client";
import { sleep } from "../rig/waiting";
import { SynSource } from "./syn_frames";

const BURST = 16;
/** Connections opened around the peak, at 40%, 45% ... of the flood. */
const PEAK_TRIES = 5;

/** eth0's received packets, from /proc/net/dev. */
async function eth0_rx_packets(rig: GuestRig): Promise<number> {
  const m = /^\s*eth0:\s*\d+\s+(\d+)/m.exec(await rig.con.run("cat /proc/net/dev", 120_000));
  if (!m) throw new Error("no eth0 in /proc/net/dev");
  return Number(m[1]);
}

/** Open a TCP connection from the station's address `from` to the guest's telnet port: ms until it is established, or why not. */
async function connect_time(rig: GuestRig, from: number): Promise<string> {
  const connection = rig.station.connect(from, GUEST, 23);
  const t0 = performance.now();
  while (connection.state !== TcpState.Established && performance.now() - t0 < 10_000) await sleep(2);
  const ms = performance.now() - t0;
  const state = connection.state;
  connection.abort();
  return state === TcpState.Established ? ms.toFixed(0) : `not in 10 s (${TcpState[state]})`;
}

/** Flood with `count` SYNs and report what the guest and the real client made of it. */
export async function syn_flood(rig: GuestRig, count: number, report: (line: string) => void): Promise<void> {
  const source = new SynSource(await guest_mac(rig.con), GUEST, 23);
  const link = rig.station.stack.link;
  const rx_before = await eth0_rx_packets(rig);
  const during = probe(rig);
  const t0 = performance.now();
  let sent = 0;
  const at_peak: Promise<string>[] = [];
  await new Promise<void>((resolve) => {
    const burst = () => {
      for (let i = 0; i < BURST && sent < count; i++, sent++) link.inject(source.next());
      if (at_peak.length < PEAK_TRIES && sent >= count * (0.4 + 0.05 * at_peak.length)) {
        at_peak.push(connect_time(rig, rig.station.addresses[at_peak.length]));
      }
      if (sent < count) setImmediate(burst);
      else resolve();
    };
    burst();
  });
  const flood_ms = performance.now() - t0;
  report(`offered ${count} SYNs from 127 spoofed addresses in ${flood_ms.toFixed(0)} ms (${((count / flood_ms) * 1000).toFixed(0)}/s)`);
  report(`TCP connections to telnet opened around the flood's peak, established in (ms): ${(await Promise.all(at_peak)).join(", ")}`);
  report(`real client during the flood: ${describe_probe(await during)}`);
  report(`real client right after:      ${describe_probe(await probe(rig))}`);
  report(`guest took in ${(await eth0_rx_packets(rig)) - rx_before} frames on eth0; ${describe_mem(await read_mem(rig.con))}`);
  const mib = await read_tcp_ext(rig.con);
  report(`the guest answered ${mib.SyncookiesSent} SYNs with cookies and screened out ${mib.TCPSynScreened} (from MACs it did not know)`);
  await sleep(60_000);
  report(`a minute later: ${describe_mem(await read_mem(rig.con))}`);
  report(`real client a minute later:   ${describe_probe(await probe(rig))}`);
}
