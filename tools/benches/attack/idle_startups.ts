// Slowloris: the station keeps idle connections open to the telnet port,
// sending nothing, and opens a new one whenever telnetd closes one (refused,
// its slot given to another, or timed out), for longer than two login
// timeouts. The real client must still get a slot and log in.
import { TcpState } from "../../../net/socket/tcp";
import { GUEST } from "../../hostnet/user_net";
import type { StationConnection } from "../../hostnet/station";
import { describe_mem, read_mem, read_telnetd } from "../rig/guest_stats";
import type { GuestRig } from "../rig/guest_rig";
import { describe_probe, probe } from "../rig/real_client";
import { sleep } from "../rig/waiting";

const DURATION_MS = 50_000;

/** Keep `count` idle connections open for DURATION_MS. */
export async function idle_startups(rig: GuestRig, count: number, report: (line: string) => void): Promise<void> {
  const station = rig.station;
  const before = await read_telnetd(rig.con);
  let opened = 0;
  let open: StationConnection[] = [];
  const top_up = () => {
    // A connection telnetd closed: close our side too (no half-closed leftovers here) and open another.
    for (const c of open) if (c.state === TcpState.CloseWait || c.state === TcpState.Closed) c.close();
    open = open.filter((c) => c.state === TcpState.SynSent || c.state === TcpState.Established);
    while (open.length < count) {
      open.push(station.connect(station.addresses[opened++ % station.addresses.length], GUEST, 23));
    }
  };
  const t0 = Date.now();
  top_up();
  const keeper = setInterval(top_up, 250);
  await sleep(25_000);
  report(`real client with ${count} idle connections held open: ${describe_probe(await probe(rig, 120_000))}`);
  await sleep(Math.max(0, DURATION_MS - (Date.now() - t0)));
  clearInterval(keeper);
  const after = await read_telnetd(rig.con);
  const delta = (name: string) => after[name] - before[name];
  report(
    `${opened} connections opened in ${((Date.now() - t0) / 1000).toFixed(0)} s; telnetd refused ${delta("ConnRefusedStartupsFull")} ` +
      `(pre-login slots full), evicted ${delta("ConnEvicted")}, timed out ${delta("ConnTimedOut")}; ` +
      `${after.StartupsWaiting} of ${after.StartupsMax} slots held at the end`,
  );
  report(`guest: ${describe_mem(await read_mem(rig.con, 120_000))}`);
  for (const c of open) c.abort();
  await sleep(5_000);
  report(`5 s after the station reset them: ${describe_mem(await read_mem(rig.con, 120_000))}`);
  await sleep(25_000); // past the login timeout, for any whose reset was lost
  report(`30 s after: ${describe_mem(await read_mem(rig.con, 120_000))}; ${(await read_telnetd(rig.con)).StartupsWaiting} slots held`);
}
