// tools/bench boot [IMAGE]: time from emulator start to the shell prompt
// (median of 5 boots) and the guest instructions executed by then.
import { SerialConsole } from "../../test/boot/serial_console";

async function one_boot(): Promise<{ ms: number; instructions: number }> {
  const t0 = process.hrtime.bigint();
  const con = await SerialConsole.boot({ image: process.argv[2] });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const instructions = con.vm.instruction_count();
  await con.close();
  return { ms, instructions };
}

async function main(): Promise<void> {
  const runs = Number(process.env.BOOT_RUNS ?? 5);
  const results = [];
  for (let i = 0; i < runs; i++) {
    const r = await one_boot();
    results.push(r);
    console.log(`boot ${i + 1}: ${r.ms.toFixed(0)} ms to prompt, ${(r.instructions / 1e6).toFixed(1)} M instructions`);
  }
  results.sort((a, b) => a.ms - b.ms);
  const median = results[Math.floor(results.length / 2)];
  console.log(
    `boot to prompt: median ${median.ms.toFixed(0)} ms over ${runs} boots, ${(median.instructions / 1e6).toFixed(1)} M guest instructions`,
  );
  process.exit(0);
}

void main();
