// tools/bench soak [MINUTES] [--nic ne2k|virtio]: mixed traffic for MINUTES
// (default 30) against one booted napkin, sampling the guest's JS heap, C
// heap and sockets as it goes, and reporting how they drifted after the
// warm-up and whether they came back to rest after. The traffic, all of it
// checked: telnet users logging in and running commands (each round moves
// bytes both ways between the guest and a station, checked by the guest and
// by the station), namespaces created, used and deleted, pings from the
// gateway, and echo and discard transfers from the host. It ends with "every
// byte verified", or lists what was lost and exits 1.
import { HostInetServices, TCPSEND_BYTE } from "../hostnet/inet_services";
import type { NicModel } from "../vm";
import { describe_mem, MemSample, read_mem, read_telnetd, tcp_total } from "./rig/guest_stats";
import { GuestRig } from "./rig/guest_rig";
import { describe_probe, probe } from "./rig/real_client";
import { sleep } from "./rig/waiting";
import { describe_drift, drift, Point } from "./soak/drift";
import { host_transfers, pings } from "./soak/host_traffic";
import { namespace_cycles } from "./soak/namespaces";
import { Tally } from "./soak/tally";
import { telnet_user } from "./soak/telnet_user";

const TELNET_USERS = 3;
/** The guest closes its telnet sessions first, so their sockets wait out TIME-WAIT (60 s) before rest. */
const REST_TIMEOUT_MS = 120_000;
/** How long the guest's closed connections wait in TIME-WAIT: the socket count climbs that long before it levels. */
const TIME_WAIT_MS = 60_000;

function parse(argv: string[]): { minutes: number; nic: NicModel } {
  let minutes = 30;
  let nic: NicModel = "ne2k";
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--nic") nic = argv[++i] as NicModel;
    else if (/^\d+(\.\d+)?$/.test(argv[i])) minutes = Number(argv[i]);
    else throw new Error("usage: tools/bench soak [MINUTES] [--nic ne2k|virtio]");
  }
  return { minutes, nic };
}

const kib_mib = (bytes: number) => (bytes >= 1 << 20 ? `${(bytes / (1 << 20)).toFixed(1)} MiB` : `${Math.round(bytes / 1024)} KiB`);

async function main(): Promise<void> {
  const { minutes, nic } = parse(process.argv.slice(2));
  const duration_ms = minutes * 60_000;
  const sample_ms = Math.max(5_000, Math.min(30_000, duration_ms / 60));
  const warmup_ms = Math.min(5 * 60_000, duration_ms / 4);
  console.log(
    `soak: ${minutes} min of mixed traffic on ${nic}; warm-up ${(warmup_ms / 1000).toFixed(0)} s, a sample every ${(sample_ms / 1000).toFixed(0)} s`,
  );
  const rig = await GuestRig.boot(nic);
  const services = new HostInetServices(rig.station.stack, () => TCPSEND_BYTE);
  const at_rest = await read_mem(rig.con);
  console.log(`at rest:  ${describe_mem(at_rest)}`);
  // The real client before the traffic: a baseline, and the gateway learns the guest's MAC before the pings are counted.
  console.log(`real client at rest: ${describe_probe(await probe(rig))}`);

  const tally = new Tally();
  const t0 = Date.now();
  const stop = () => Date.now() - t0 >= duration_ms;
  const traffic = Promise.all([
    ...Array.from({ length: TELNET_USERS }, (_, id) => telnet_user(rig, id, tally, stop)),
    namespace_cycles(rig, tally, stop),
    pings(rig, tally, stop),
    host_transfers(rig, tally, stop),
  ]);

  const samples: { t_s: number; mem: MemSample }[] = [];
  while (!stop()) {
    await sleep(Math.min(sample_ms, Math.max(0, duration_ms - (Date.now() - t0))));
    const t_s = (Date.now() - t0) / 1000;
    try {
      const mem = await read_mem(rig.con, 120_000);
      samples.push({ t_s, mem });
      console.log(
        `[${t_s.toFixed(0).padStart(5)} s] ${describe_mem(mem)}; ${tally.telnet_sessions} sessions, ` +
          `${tally.namespace_cycles} namespace cycles, ${tally.pings_answered}/${tally.pings_sent} pings`,
      );
    } catch (error) {
      tally.error(`sample at ${t_s.toFixed(0)} s: ${(error as Error).message.split("\n")[0]}`);
    }
  }
  await traffic;
  const real_client = await probe(rig, 120_000);

  const warm = samples.filter((s) => s.t_s * 1000 >= warmup_ms);
  const series = (pick: (m: MemSample) => number): Point[] => warm.map((s) => ({ t_s: s.t_s, value: pick(s.mem) }));
  console.log(`drift after warm-up (${warm.length} samples):`);
  if (warmup_ms < TIME_WAIT_MS * 1.5)
    console.log("  (a warm-up this short ends before TIME-WAIT has filled: the sockets, and the heap with them, still climb)");
  console.log(`  ${describe_drift("JS heap KiB", drift(series((m) => m.js_heap_kib)))}`);
  console.log(`  ${describe_drift("JS objects", drift(series((m) => m.js_objects)))}`);
  console.log(`  ${describe_drift("C heap KiB", drift(series((m) => m.c_heap_kib)))}`);
  console.log(`  ${describe_drift("TCP sockets", drift(series(tcp_total)))}`);
  console.log(`  ${describe_drift("UDP sockets", drift(series((m) => m.udp)))}`);

  // Back at rest: the sockets the traffic opened must all go.
  let rest = await read_mem(rig.con);
  const t_rest = Date.now();
  while (tcp_total(rest) > tcp_total(at_rest) && Date.now() - t_rest < REST_TIMEOUT_MS) {
    await sleep(5_000);
    rest = await read_mem(rig.con);
  }
  const rested = tcp_total(rest) === tcp_total(at_rest) && rest.udp === at_rest.udp && rest.icmp === at_rest.icmp;
  console.log(`${rested ? "at rest again" : "NOT at rest"} ${((Date.now() - t_rest) / 1000).toFixed(0)} s after: ${describe_mem(rest)}`);
  if (!rested) tally.lost.push(`sockets left over: ${describe_mem(rest)}; before the traffic: ${describe_mem(at_rest)}`);

  const telnetd = await read_telnetd(rig.con);
  console.log(
    `traffic: ${tally.telnet_sessions} telnet sessions (${tally.telnet_commands} commands checked; telnetd counted ${telnetd.Logins} logins, ` +
      `${telnetd.LoginsFailed} failed), ${tally.namespace_cycles} namespace cycles, ` +
      `${tally.pings_answered}/${tally.pings_sent} pings from the gateway, ${tally.guest_pings_answered}/${tally.guest_pings_sent} from the guest`,
  );
  console.log(
    `bytes: host->guest->host echo ${kib_mib(tally.host_echo_bytes)}, host->guest discard ${kib_mib(tally.host_discard_bytes)}, ` +
      `guest->station->guest echo ${kib_mib(tally.guest_echo_bytes)}, guest->station discard ${kib_mib(tally.guest_discard_bytes)} ` +
      `(the station took ${kib_mib(services.discarded)}, ${services.discard_mismatches} bytes wrong)`,
  );
  console.log(`real client at the end: ${describe_probe(real_client)}`);
  if (services.discard_mismatches > 0) tally.lost.push(`${services.discard_mismatches} bytes reached the station's discard service wrong`);
  if (services.discarded !== tally.guest_discard_bytes) {
    tally.lost.push(`the guest sent ${tally.guest_discard_bytes} bytes to the station's discard service, which took ${services.discarded}`);
  }
  if (tally.pings_sent - tally.pings_answered > 0)
    console.log(`${tally.pings_sent - tally.pings_answered} pings from the gateway unanswered`);
  for (const error of tally.errors) console.log(`error: ${error}`);
  const fault = rig.con.fault();
  if (fault) tally.lost.push(`the guest faulted: ${fault.split("\n")[0]}`);
  services.close();
  await rig.close();
  if (tally.lost.length > 0) {
    for (const loss of tally.lost) console.log(`LOST: ${loss}`);
    process.exit(1);
  }
  console.log("every byte verified");
  process.exit(0);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(2);
});
