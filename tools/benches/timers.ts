// tools/bench timers: thread wakeup lateness for 1 ms timers while the guest
// is otherwise idle (the shell's timerlat), and the precision of `sleep 0.25`.
import { SerialConsole } from "../../test/boot/serial_console";

async function main(): Promise<void> {
  const con = await SerialConsole.boot();
  console.log((await con.run("timerlat -c 1000 -p 1000", 120_000)).trim());
  const late: number[] = [];
  for (let i = 0; i < 5; i++) {
    const out = await con.run("timerlat -c 1 -p 250000");
    late.push(Number(out.match(/p50 (\d+) us/)![1]));
  }
  console.log(`sleep 0.25 s, 5 times: woke late by ${late.join(", ")} us`);
  await con.close();
  process.exit(0);
}

void main();
