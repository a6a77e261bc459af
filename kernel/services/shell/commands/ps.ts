import { idle_stats, Thread, thread_list } from "../../../sched/sched";
import { register_command } from "../command";

/** R running or runnable, S timed sleep, D waiting on a wait queue, Z dead. */
const STAT: Record<Thread["state"], string> = { running: "R", runnable: "R", sleeping: "S", waiting: "D", dead: "Z" };

function row(pid: number, stat: string, cpu_us: number, switches: number, wakeups: number, name: string): string {
  return (
    String(pid).padStart(5) +
    " " +
    stat.padEnd(4) +
    (cpu_us / 1e6).toFixed(6).padStart(12) +
    String(switches).padStart(9) +
    String(wakeups).padStart(9) +
    " " +
    name
  );
}

export function ps_text(): string {
  const idle = idle_stats();
  const lines = ["  PID STAT        TIME SWITCHES  WAKEUPS COMMAND", row(0, "I", idle.idle_us, idle.switches, 0, "swapper")];
  for (const t of thread_list()) lines.push(row(t.pid, STAT[t.state], t.cpu_us, t.switches, t.wakeups, t.name));
  return lines.join("\n") + "\n";
}

register_command({
  name: "ps",
  usage: "ps",
  description: "list kernel threads: state, CPU time, switches, wakeups",
  run(ctx) {
    ctx.tty.write(ps_text());
  },
});
