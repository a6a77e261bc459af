// What `top` shows: a sample of the machine's counters, and the screen made
// from two samples a second apart. The screen fits an 80x24 terminal: four
// lines of header, a blank, the column titles and the busiest threads.
//
// The CPU line splits the interval as the kernel accounts it: threads, hard
// IRQ handlers (irq_stats.hardirq_us), the NET_RX softirq (net_rx_action,
// run at irq_exit or, under load, in napi_handler, whose thread time then
// holds it too) and the idle loop.
import { hal } from "../../../hal/current";
import { irq_descs, irq_stats } from "../../../irq/irq";
import { NET_RX_SOFTIRQ, softirq_stats } from "../../../irq/softirq";
import { namespaces } from "../../../net/namespaces";
import { idle_stats, thread_list, type ThreadState } from "../../../sched/sched";

/** Terminal lines the screen may use (the last stays free for the cursor). */
const SCREEN_LINES = 23;
/** Lines above the thread rows. */
const HEADER_LINES = 6;
const COLUMNS = 80;
/** R running or runnable, S timed sleep, D waiting on a wait queue, Z dead (as ps). */
const STATE_LETTER: Record<ThreadState, string> = { running: "R", runnable: "R", sleeping: "S", waiting: "D", dead: "Z" };

/** One thread at the moment of a sample. */
interface ThreadSample {
  pid: number;
  name: string;
  state: ThreadState;
  cpu_us: number;
  switches: number;
}

/** The counters top compares between two refreshes. */
export interface TopSample {
  /** hal.now_us() when taken. */
  at_us: number;
  /** Interrupts taken, over all lines. */
  irqs: number;
  /** Packets received and sent, over every device of every namespace. */
  rx_packets: number;
  tx_packets: number;
  hardirq_us: number;
  /** Time in the NET_RX softirq. */
  softirq_us: number;
  idle_us: number;
  threads: ThreadSample[];
}

/** The machine at boot: what the first screen compares with (its rates are averages since boot). */
export const BOOT_SAMPLE: TopSample = {
  at_us: 0,
  irqs: 0,
  rx_packets: 0,
  tx_packets: 0,
  hardirq_us: 0,
  softirq_us: 0,
  idle_us: 0,
  threads: [],
};

/** Read the counters now. */
export function take_sample(): TopSample {
  let irqs = 0;
  for (const desc of irq_descs()) irqs += desc.count;
  let rx_packets = 0;
  let tx_packets = 0;
  for (const ns of namespaces) {
    for (const dev of ns.devices) {
      rx_packets += dev.stats.rx_packets;
      tx_packets += dev.stats.tx_packets;
    }
  }
  const threads = thread_list().map((t) => ({ pid: t.pid, name: t.name, state: t.state, cpu_us: t.cpu_us, switches: t.switches }));
  return {
    at_us: hal.now_us(),
    irqs,
    rx_packets,
    tx_packets,
    hardirq_us: irq_stats.hardirq_us,
    softirq_us: softirq_stats(NET_RX_SOFTIRQ).time_us,
    idle_us: idle_stats().idle_us,
    threads,
  };
}

/** "H:MM:SS" of a span of µs. */
function hms(us: number): string {
  const seconds = Math.floor(us / 1e6);
  return `${Math.floor(seconds / 3600)}:${String(Math.floor(seconds / 60) % 60).padStart(2, "0")}:${String(seconds % 60).padStart(2, "0")}`;
}

/** CPU time as top's TIME+: "M:SS.hh". */
function cpu_time(us: number): string {
  const hundredths = Math.floor(us / 10_000);
  const seconds = Math.floor(hundredths / 100);
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}.${String(hundredths % 100).padStart(2, "0")}`;
}

/** The screen's lines for the interval from `before` to `now`, `wall_ms` being the time of day. */
export function format_screen(before: TopSample, now: TopSample, wall_ms: number): string[] {
  const span_us = Math.max(1, now.at_us - before.at_us);
  const per_second = (after: number, earlier: number) => Math.round(((after - earlier) * 1e6) / span_us);
  const percent = (after: number, earlier: number) => ((100 * (after - earlier)) / span_us).toFixed(1);
  const cpu_before = new Map(before.threads.map((t) => [t.pid, t.cpu_us]));
  const rows = now.threads
    .map((t) => ({ ...t, share_us: t.cpu_us - (cpu_before.get(t.pid) ?? 0) }))
    .sort((a, b) => b.share_us - a.share_us || b.cpu_us - a.cpu_us || a.pid - b.pid);
  const thread_us = rows.reduce((sum, t) => sum + t.share_us, 0);
  const running = now.threads.filter((t) => t.state === "running" || t.state === "runnable").length;
  const clock = new Date(wall_ms).toISOString().slice(11, 19);
  const lines = [
    `top - ${clock} up ${hms(now.at_us)}, ${now.threads.length} threads: ${running} running, ${now.threads.length - running} sleeping`,
    `%Cpu: ${percent(thread_us, 0)} threads, ${percent(now.hardirq_us, before.hardirq_us)} hardirq, ` +
      `${percent(now.softirq_us, before.softirq_us)} softirq (NET_RX), ${percent(now.idle_us, before.idle_us)} idle`,
    `IRQs/s: ${per_second(now.irqs, before.irqs)}   packets/s: ${per_second(now.rx_packets, before.rx_packets)} rx, ${per_second(now.tx_packets, before.tx_packets)} tx`,
    "q or Ctrl-C quits",
    "",
    "  PID S  %CPU    TIME+ SWITCHES COMMAND",
  ];
  for (const t of rows.slice(0, SCREEN_LINES - HEADER_LINES)) {
    lines.push(
      `${String(t.pid).padStart(5)} ${STATE_LETTER[t.state]} ${percent(t.share_us, 0).padStart(5)} ${cpu_time(t.cpu_us).padStart(8)} ${String(t.switches).padStart(8)} ${t.name}`,
    );
  }
  // The last column stays free: a terminal that wraps there would scroll the screen.
  return lines.map((line) => line.slice(0, COLUMNS - 1));
}
