// tools/bench boot [IMAGE]: time from power-on (the guest's first
// instruction) to the shell prompt, median of 5 boots, with the guest
// instructions executed by then; and apart from it, the time v86 took to set
// itself up before power-on (its wasm, the RAM, the image loaded), which is
// the emulator's, not the guest's.
//
// tools/bench boot --profile [BOOTS]: where the boot's instructions go. Boots
// napkin BOOTS times (default 10) with profile=boot, the guest's profiler
// interrupt paced by guest instructions (a sample at each of v86's runs, at a
// random point of it), reads `perf boot` after each, and prints the samples
// of all the boots by C function and by JS function. The profiler's random
// delays make these boots slower than the timed ones; the shares hold.
import { top_lines } from "../../kernel/services/shell/commands/perf";
import { SerialConsole } from "../../test/boot/serial_console";
import { InstructionClock, pace_rtc_by_instructions } from "./rig/paced_profiler";
import { perf_table } from "./rig/perf_report";

/** Fewer than v86's run (about 100k), so that every run ends in a sample. */
const INSTRUCTIONS_PER_SAMPLE = 20_000;
const PROFILE_ROWS = 30;

async function one_boot(image: string | undefined): Promise<{ ms: number; setup_ms: number; instructions: number }> {
  const t0 = performance.now();
  const con = await SerialConsole.boot({ image });
  const ms = performance.now() - con.vm.powered_on_at;
  const setup_ms = con.vm.powered_on_at - t0;
  const instructions = con.vm.instruction_count();
  await con.close();
  return { ms, setup_ms, instructions };
}

async function time_boots(image: string | undefined): Promise<void> {
  const runs = Number(process.env.BOOT_RUNS ?? 5);
  const results = [];
  for (let i = 0; i < runs; i++) {
    const r = await one_boot(image);
    results.push(r);
    console.log(
      `boot ${i + 1}: ${r.ms.toFixed(0)} ms from power-on to prompt (v86's setup before it: ${r.setup_ms.toFixed(0)} ms), ${(r.instructions / 1e6).toFixed(2)} M instructions`,
    );
  }
  results.sort((a, b) => a.ms - b.ms);
  const median = results[Math.floor(results.length / 2)];
  console.log(
    `boot to prompt: median ${median.ms.toFixed(0)} ms from power-on over ${runs} boots, ${(median.instructions / 1e6).toFixed(2)} M guest instructions`,
  );
}

/** One of perf boot's tables, added to `into` as samples by name (its shares are of `busy`). */
function table_counts(report: string, heading: string, busy: number, into: Map<string, number>): void {
  for (const { share, name } of perf_table(report, heading)) into.set(name, (into.get(name) ?? 0) + Math.round((share * busy) / 100));
}

async function profile_boots(boots: number): Promise<void> {
  const c = new Map<string, number>();
  const js = new Map<string, number>();
  let busy = 0;
  for (let i = 0; i < boots; i++) {
    let clock: InstructionClock | undefined;
    const con = await SerialConsole.boot({
      cmdline: "profile=boot",
      on_loaded: (emulator) => {
        clock = new InstructionClock(emulator);
        pace_rtc_by_instructions(emulator, clock, INSTRUCTIONS_PER_SAMPLE);
      },
    });
    const report = await con.run("perf boot", 60_000);
    clock?.stop();
    await con.close();
    const m = report.match(/^perf boot: \d+ samples .*: (\d+) busy/m);
    if (!m) throw new Error(`no boot profile:\n${report}`);
    busy += Number(m[1]);
    table_counts(report, "C function (kernel image)", Number(m[1]), c);
    table_counts(report, "JS function (kernel bundle)", Number(m[1]), js);
    process.stdout.write(`boot ${i + 1}: ${m[1]} busy samples\n`);
  }
  console.log(`\n${busy} busy samples over ${boots} boots, one per ~100k guest instructions; shares of them:`);
  for (const [heading, counts] of [
    ["C function (kernel image)", c],
    ["JS function (kernel bundle) or native", js],
  ] as const) {
    console.log(`\n  % busy  ${heading}`);
    for (const line of top_lines(counts, busy, PROFILE_ROWS)) console.log(line);
  }
}

async function main(): Promise<void> {
  if (process.argv[2] === "--profile") await profile_boots(Number(process.argv[3] ?? 10));
  else await time_boots(process.argv[2]);
  process.exit(0);
}

void main();
