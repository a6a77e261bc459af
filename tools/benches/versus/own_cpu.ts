// --own-cpu: the emulator's thread (Node's main thread, where v86 runs the
// guest and the host side talks to it) alone on one CPU, and every other
// thread of the process (V8's compiler and GC workers) on the other CPUs
// the process may use. On a host with few CPUs, V8 compiling v86's code in
// the background takes CPU time from the emulator in slices of a few
// milliseconds, which shows as a tail in wall-clock figures such as ping's;
// with this, it shows instead as code that stays slower for longer, since
// the workers share fewer CPUs. The guest's instruction counts do not change
// either way.
import { execFileSync } from "child_process";
import { readFileSync, readdirSync } from "fs";

/** The CPUs this process may run on, from /proc/self/status (a list such as "0-3" or "2,4-5"). */
function allowed_cpus(): number[] {
  const m = /^Cpus_allowed_list:\s*(\S+)$/m.exec(readFileSync("/proc/self/status", "utf8"));
  if (!m) throw new Error("--own-cpu: no Cpus_allowed_list in /proc/self/status");
  const cpus: number[] = [];
  for (const range of m[1].split(",")) {
    const [first, last = first] = range.split("-").map(Number);
    for (let cpu = first; cpu <= last; cpu++) cpus.push(cpu);
  }
  return cpus;
}

/** Pin the threads as above (Linux only: /proc and taskset); says where they went. */
export function give_emulator_own_cpu(): string {
  const [own, ...others] = allowed_cpus();
  if (others.length === 0) throw new Error("--own-cpu needs at least two CPUs");
  const rest = others.join(",");
  for (const tid of readdirSync("/proc/self/task")) {
    execFileSync("taskset", ["--pid", "--cpu-list", Number(tid) === process.pid ? String(own) : rest, tid], { stdio: "ignore" });
  }
  return `the emulator's thread alone on CPU ${own}, the process's other threads on CPU ${rest}`;
}
