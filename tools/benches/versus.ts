// tools/bench versus [options]: napkin and Linux booted in the same v86, on
// the same emulated NICs, measured by the same host-side code; each figure
// the median of several runs. The Linux guest is built from Debian's packages
// by tools/linux/build.sh (`make bench` runs it first). See versus/plan.ts
// for the options and versus/*.ts for each measurement's method.
import { execFileSync } from "child_process";
import os from "os";
import path from "path";
import { LinuxManifest, linux_built, read_manifest } from "../linux/artefacts";
import { GuestProfile, nic_label } from "./versus/guest_profile";
import { LINUX_CMDLINE, linux_profile } from "./versus/linux_profile";
import { napkin_profile } from "./versus/napkin_profile";
import { give_emulator_own_cpu } from "./versus/own_cpu";
import { USAGE, parse_plan } from "./versus/plan";
import { write_report } from "./versus/report";
import { RunResult, run_guest } from "./versus/run_guest";

function git_commit(): string {
  try {
    return execFileSync("git", ["describe", "--always", "--dirty"], { cwd: __dirname, encoding: "utf8" }).trim();
  } catch {
    return "unknown";
  }
}

async function main(): Promise<void> {
  if (process.argv.includes("--help")) {
    console.log(USAGE);
    return;
  }
  const plan = parse_plan(process.argv.slice(2));
  const threads = plan.own_cpu ? `; ${give_emulator_own_cpu()}` : "";
  const labels = plan.nics.map(nic_label);
  const missing = plan.curve_nics.filter((nic) => !labels.includes(nic));
  if (missing.length) throw new Error(`--curve-nics ${missing.join(",")} not among --nics ${labels.join(",")}`);
  let manifest: LinuxManifest | null = null;
  if (plan.guests.includes("linux")) {
    if (!linux_built()) throw new Error("no Linux guest in build/linux/: run tools/linux/build.sh (make bench does)");
    manifest = read_manifest();
  }
  const profiles: GuestProfile[] = plan.guests.map((g) => (g === "napkin" ? napkin_profile(plan.image) : linux_profile()));
  const t0 = performance.now();
  const results: RunResult[] = [];
  for (let run = 1; run <= plan.runs; run++) {
    for (const config of plan.nics) {
      for (const profile of profiles) {
        console.log(`run ${run}/${plan.runs}, ${profile.name} on ${nic_label(config)}`);
        results.push(await run_guest(profile, config, plan, run));
      }
    }
  }
  const minutes = (performance.now() - t0) / 60_000;
  const meta = {
    date: new Date().toISOString(),
    napkin: `${git_commit()} (${path.relative(process.cwd(), plan.image ?? "images/napkin.elf")})`,
    linux: manifest ? `${manifest.packages.join(", ")}; modules ${manifest.modules.join(", ")}; cmdline "${LINUX_CMDLINE}"` : "not run",
    host: `${os.cpus()[0]?.model ?? "?"} x${os.cpus().length}, Node ${process.version}`,
    method: `${plan.runs} runs, median (min–max); ${plan.per_turn} frames per event-loop turn (floods: ${plan.flood_per_turn}), floods of ${plan.flood_ms} ms${threads}`,
    duration: `${minutes.toFixed(1)} min`,
  };
  const table = write_report(results, plan, meta);
  console.log(`\n${table}`);
  const errors = results.flatMap((r) => r.errors.map((e) => `${r.guest} ${r.nic} run ${r.run}: ${e.split("\n")[0]}`));
  if (errors.length) console.log(`errors:\n  ${errors.join("\n  ")}`);
  console.log(`results in ${path.relative(process.cwd(), plan.out_dir)}/ (${minutes.toFixed(1)} min)`);
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  },
);
