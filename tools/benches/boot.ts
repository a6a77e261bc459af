// tools/bench boot [IMAGE]: time from power-on (the guest's first
// instruction) to the shell prompt, median of 5 boots, with the guest
// instructions executed by then; and apart from it, the time v86 took to set
// itself up before power-on (its wasm, the RAM, the image loaded), which is
// the emulator's, not the guest's.
import { SerialConsole } from "../../test/boot/serial_console";

async function one_boot(): Promise<{ ms: number; setup_ms: number; instructions: number }> {
  const t0 = performance.now();
  const con = await SerialConsole.boot({ image: process.argv[2] });
  const ms = performance.now() - con.vm.powered_on_at;
  const setup_ms = con.vm.powered_on_at - t0;
  const instructions = con.vm.instruction_count();
  await con.close();
  return { ms, setup_ms, instructions };
}

async function main(): Promise<void> {
  const runs = Number(process.env.BOOT_RUNS ?? 5);
  const results = [];
  for (let i = 0; i < runs; i++) {
    const r = await one_boot();
    results.push(r);
    console.log(
      `boot ${i + 1}: ${r.ms.toFixed(0)} ms from power-on to prompt (v86's setup before it: ${r.setup_ms.toFixed(0)} ms), ${(r.instructions / 1e6).toFixed(1)} M instructions`,
    );
  }
  results.sort((a, b) => a.ms - b.ms);
  const median = results[Math.floor(results.length / 2)];
  console.log(
    `boot to prompt: median ${median.ms.toFixed(0)} ms from power-on over ${runs} boots, ${(median.instructions / 1e6).toFixed(1)} M guest instructions`,
  );
  process.exit(0);
}

void main();
