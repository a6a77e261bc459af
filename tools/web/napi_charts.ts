// The charts of NAPI at work, redrawn after every sampling round from the
// same figures as the table: where the flood's packets go (offered, taken
// in, dropped by the stack, delivered), ping's RTT, eth0's interrupts
// against its packets, NAPI's polls and budget exhaustion, and each kernel
// thread's share of the CPU.
import type { ChartData } from "./chart_data";
import { eth0_figure, type GuestStats } from "./guest_stats";
import { CPU_MS_PREFIX, guest_irq_line_name, NAPI_POLLS, RX_PACKETS, STACK_DROPS, TIME_SQUEEZE } from "./guest_stats_parse";
import { irq_line_name, PACKETS_TO_GUEST } from "./host_counters";
import type { Pinger } from "./pinger";
import type { Point, Sampler } from "./sampler";
import { FLOOD_DELIVERED, FLOOD_OFFERED } from "./udp_flood";
import { SvgChart, type ChartSeries } from "./svg_chart";

const COLORS = {
  offered: "#8c9196",
  taken_in: "#5b9bd5",
  dropped: "#d9534f",
  delivered: "#5fb85f",
  rtt: "#e0b050",
  irqs: "#d9534f",
  irqs_taken: "#e0b050",
  packets: "#5b9bd5",
  polls: "#5b9bd5",
  squeeze: "#d9534f",
};
/** The threads the story is about keep the same colors: interrupt work red, NAPI blue, the echo service green. */
const ROLE_COLORS: [RegExp, string][] = [
  [/^irq\/\d+-eth/, "#d9534f"],
  [/^napi/, "#5b9bd5"],
  [/echo/, "#5fb85f"],
];
/** Other threads get a color each from this list as they first show up, and keep it while others come and go. */
const THREAD_COLORS = ["#e0b050", "#a77fd1", "#4fb6b6", "#d98c4a", "#c26fa5", "#9bbf4a", "#7f8fd9", "#b0b0b0"];
const IDLE_COLOR = "#3a3d42";
const NO_THREAD_COLOR = "#7a4a4a";
const NIC = "eth0";

export class NapiCharts {
  private readonly charts: Record<string, SvgChart>;
  private data: ChartData = {};
  private readonly thread_colors = new Map<string, string>();

  constructor(
    parent: HTMLElement,
    private readonly sampler: Sampler,
    private readonly guest: GuestStats,
    private readonly pinger: Pinger,
  ) {
    this.charts = {
      flood: new SvgChart(parent, { title: "UDP flood to port 7: where the packets go", left_unit: "packets/s" }),
      ping: new SvgChart(parent, { title: "ping 10.0.2.15: round-trip time", left_unit: "ms" }),
      nic: new SvgChart(parent, { title: `${NIC}: interrupts/s against packets/s`, left_unit: "per s" }),
      napi: new SvgChart(parent, {
        title: "NAPI: polls/s and budget exhaustion (time_squeeze/s)",
        left_unit: "polls/s",
        right_unit: "squeeze/s",
      }),
      cpu: new SvgChart(parent, {
        title: "CPU per kernel thread (stacked; threads under 1% left out)",
        left_unit: "%",
        stacked: true,
        left_top: 100,
      }),
    };
    sampler.on_sample.push(() => this.draw());
  }

  /** The series each chart showed at its last drawing. */
  chart_data(): ChartData {
    return this.data;
  }

  private draw(): void {
    const now = performance.now();
    const series: Record<string, ChartSeries[]> = {
      flood: [
        { label: "offered", color: COLORS.offered, points: this.sampler.series(FLOOD_OFFERED) },
        { label: "taken in by eth0", color: COLORS.taken_in, points: this.sampler.series(eth0_figure(RX_PACKETS)) },
        { label: "dropped by the stack", color: COLORS.dropped, points: this.sampler.series(eth0_figure(STACK_DROPS)) },
        { label: "delivered (echoed)", color: COLORS.delivered, points: this.sampler.series(FLOOD_DELIVERED) },
      ],
      ping: [{ label: `RTT in ms (lost ${this.pinger.lost} of ${this.pinger.sent})`, color: COLORS.rtt, points: this.pinger.rtts }],
      nic: [
        { label: `IRQs/s raised on line ${this.nic_line() ?? "?"}`, color: COLORS.irqs, points: this.nic_irqs(irq_line_name) },
        { label: "IRQs/s the guest took", color: COLORS.irqs_taken, points: this.nic_irqs(guest_irq_line_name), dashed: true },
        { label: "packets/s to guest", color: COLORS.packets, points: this.sampler.series(PACKETS_TO_GUEST) },
      ],
      napi: [
        { label: "polls/s", color: COLORS.polls, points: this.sampler.series(NAPI_POLLS) },
        { label: "time_squeeze/s", color: COLORS.squeeze, points: this.sampler.series(TIME_SQUEEZE), axis: "right" },
      ],
      cpu: this.threads(),
    };
    this.data = {};
    for (const [id, chart] of Object.entries(this.charts)) {
      chart.draw(series[id], now);
      this.data[id] = series[id].map((s) => ({ label: s.label, points: [...s.points] }));
    }
  }

  /** The IRQ line the guest says its NIC's driver handles, once it has said. */
  private nic_line(): number | null {
    for (const [line, owners] of this.guest.latest.irq_owners) if (owners.split(/,\s*/).includes(NIC)) return line;
    return null;
  }

  /** The NIC line's interrupts per second, as the figure `name_of` names. */
  private nic_irqs(name_of: (line: number) => string): readonly Point[] {
    const line = this.nic_line();
    return line === null ? [] : this.sampler.series(name_of(line));
  }

  /**
   * Each thread's CPU in percent (ms per s / 10) if it reached 1% in the
   * window: busy threads below, then the time no thread was charged for,
   * the idle task on top.
   */
  private threads(): ChartSeries[] {
    const names = [...this.sampler.history.keys()].filter((name) => name.startsWith(CPU_MS_PREFIX)).sort();
    const shown = names.filter((name) => this.sampler.series(name).some((p) => p.value >= 10));
    const band = (name: string, color: string) => ({
      label: name.slice(CPU_MS_PREFIX.length),
      color,
      points: percent(this.sampler.series(name)),
    });
    const busy = shown.filter((name) => !name.includes("swapper")).map((name) => band(name, this.thread_color(thread_of(name))));
    const idle = shown.filter((name) => name.includes("swapper")).map((name) => band(name, IDLE_COLOR));
    return [...busy, { label: "in no thread", color: NO_THREAD_COLOR, points: this.outside_threads(names) }, ...idle];
  }

  /**
   * The CPU no thread was charged for: what ps cannot see (interrupt and
   * scheduler work outside any thread), as 100% less the sum of every
   * thread's share, small ones included, at each reading.
   */
  private outside_threads(names: string[]): Point[] {
    const sums = new Map<number, number>();
    for (const name of names) for (const p of this.sampler.series(name)) sums.set(p.at_ms, (sums.get(p.at_ms) ?? 0) + p.value / 10);
    return [...sums].sort(([a], [b]) => a - b).map(([at_ms, sum]) => ({ at_ms, value: Math.max(0, 100 - sum) }));
  }

  /** A thread's role color, or the next free color for one seen for the first time, and the same ever after. */
  private thread_color(thread: string): string {
    let color = ROLE_COLORS.find(([pattern]) => pattern.test(thread))?.[1] ?? this.thread_colors.get(thread);
    if (color === undefined) {
      color = THREAD_COLORS[this.thread_colors.size % THREAD_COLORS.length];
      this.thread_colors.set(thread, color);
    }
    return color;
  }
}

/** CPU time in ms per second as a percentage. */
function percent(points: readonly Point[]): Point[] {
  return points.map((p) => ({ at_ms: p.at_ms, value: p.value / 10 }));
}

/** The thread's name without its pid: "sh/pts/1 (14)" is "sh/pts/1". */
function thread_of(name: string): string {
  return name.slice(CPU_MS_PREFIX.length).replace(/ \(\d+\)$/, "");
}
