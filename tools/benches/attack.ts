// tools/bench attack [CASE...] [--nic ne2k|virtio] [--mem MIB]: napkin under
// attack, one freshly booted guest per case (with MIB MiB of memory, say 32
// for a small machine), each case with a real client (a telnet login, a
// ping, a TCP echo) checked before and while it runs. The cases:
//   syn          10k spoofed SYNs to the telnet port, as fast as the harness offers them
//   half-closed  2000 connections left half closed (the guest in FIN-WAIT-2)
//   logins       10k failed logins from 32 connections at a time, eight addresses
//   idle         500 idle connections kept open before login (slowloris)
// The attacks come from a station on the guest's wire; the real client from
// the host through the port forwards. See attack/*.ts for each method.
import type { NicModel } from "../vm";
import { guessing } from "./attack/guessing";
import { half_closed } from "./attack/half_closed";
import { idle_startups } from "./attack/idle_startups";
import { syn_flood } from "./attack/syn_flood";
import { describe_mem, read_mem } from "./rig/guest_stats";
import { GuestRig } from "./rig/guest_rig";
import { describe_probe, probe } from "./rig/real_client";

type Report = (line: string) => void;

const CASES: Record<string, { title: string; run: (rig: GuestRig, report: Report) => Promise<void> }> = {
  syn: { title: "SYN flood, 10000 spoofed SYNs", run: (rig, report) => syn_flood(rig, 10_000, report) },
  "half-closed": { title: "2000 half-closed connections", run: (rig, report) => half_closed(rig, 2000, report) },
  logins: { title: "10000 failed logins", run: (rig, report) => guessing(rig, 10_000, report) },
  idle: { title: "500 idle connections before login", run: (rig, report) => idle_startups(rig, 500, report) },
};

function parse(argv: string[]): { nic: NicModel; mem_mib: number | undefined; cases: string[] } {
  let nic: NicModel = "ne2k";
  let mem_mib: number | undefined;
  const cases: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--nic") nic = argv[++i] as NicModel;
    else if (argv[i] === "--mem" && Number(argv[i + 1]) >= 16) mem_mib = Number(argv[++i]);
    else if (argv[i] in CASES) cases.push(argv[i]);
    else throw new Error(`usage: tools/bench attack [${Object.keys(CASES).join("|")}]... [--nic ne2k|virtio] [--mem MIB (16 or more)]`);
  }
  return { nic, mem_mib, cases: cases.length > 0 ? cases : Object.keys(CASES) };
}

async function run_case(name: string, nic: NicModel, mem_mib: number | undefined): Promise<void> {
  const { title, run } = CASES[name];
  console.log(`== ${title} (${nic}${mem_mib ? `, ${mem_mib} MiB` : ""}) ==`);
  const t0 = performance.now();
  const report: Report = (line) => console.log(`[${((performance.now() - t0) / 1000).toFixed(0).padStart(4)} s] ${line}`);
  const rig = await GuestRig.boot(nic, "", mem_mib);
  try {
    report(`guest at rest: ${describe_mem(await read_mem(rig.con))}`);
    report(`real client at rest: ${describe_probe(await probe(rig))}`);
    await run(rig, report);
    const fault = rig.con.fault();
    report(fault ? `the guest FAULTED: ${fault.split("\n")[0]}` : "the guest is still up");
  } catch (error) {
    const fault = rig.con.fault();
    report(
      `case stopped: ${(error instanceof Error ? error.message : String(error)).split("\n")[0]}${fault ? `; the guest FAULTED: ${fault.split("\n")[0]}` : ""}`,
    );
  } finally {
    await rig.close();
  }
}

async function main(): Promise<void> {
  const { nic, mem_mib, cases } = parse(process.argv.slice(2));
  for (const name of cases) await run_case(name, nic, mem_mib);
  process.exit(0);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(2);
});
