// --own-cpu: the emulator's thread (Node's main thread, where v86 runs the
// guest and the host side talks to it) alone on CPU 0, and every other
// thread of the process (V8's compiler and GC workers) on the other CPUs.
// On a host with few CPUs, V8 compiling v86's code in the background takes
// CPU time from the emulator in slices of a few milliseconds, which shows
// as a tail in wall-clock figures such as ping's; with this, it shows
// instead as code that stays slower for longer, since the workers share
// fewer CPUs. The guest's instruction counts do not change either way.
import { execFileSync } from "child_process";
import { readdirSync } from "fs";
import os from "os";

/** Pin the threads as above (Linux only: /proc and taskset); throws if the host has a single CPU. */
export function give_emulator_own_cpu(): string {
  const cpus = os.availableParallelism();
  if (cpus < 2) throw new Error("--own-cpu needs at least two CPUs");
  const others = cpus === 2 ? "1" : `1-${cpus - 1}`;
  for (const tid of readdirSync("/proc/self/task")) {
    const cpu = Number(tid) === process.pid ? "0" : others;
    execFileSync("taskset", ["--pid", "--cpu-list", cpu, tid], { stdio: "ignore" });
  }
  return `the emulator's thread alone on CPU 0, the process's other threads on CPU ${others}`;
}
