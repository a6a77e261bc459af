// From runs to figures: each run's results flattened to named metrics
// ("ne2k/ping/warm/p50_ms"), then per guest and metric the median of the
// runs with their spread; and the rx-curves merged across runs point by
// point (the offered rates asked for are the same grid in every run).
import { CurvePoint } from "./rx_curve";
import { RunResult } from "./run_guest";
import { Figure, figure, median } from "./stats";

export type Metrics = Record<string, number | null>;

function put(out: Metrics, key: string, value: number | null | undefined): void {
  out[key] = value ?? null;
}

export function flatten(r: RunResult): Metrics {
  const m: Metrics = {};
  const at = (key: string) => `${r.nic}/${key}`;
  put(m, at("boot/ms"), r.boot.ms);
  put(m, at("boot/setup_ms"), r.boot.setup_ms);
  put(m, at("boot/instructions"), r.boot.instructions);
  if (r.ping) {
    for (const [name, s] of Object.entries(r.ping)) {
      put(m, at(`ping/${name}/p50_ms`), s.p50_ms);
      put(m, at(`ping/${name}/p99_ms`), s.p99_ms);
      put(m, at(`ping/${name}/instructions`), s.instructions_per_ping);
      put(m, at(`ping/${name}/lost`), s.lost);
    }
  }
  for (const [name, t] of [
    ["tcp-rx", r.tcp_rx],
    ["tcp-rx-cold", r.tcp_rx_cold],
    ["tcp-tx", r.tcp_tx],
    ["tcp-tx-cold", r.tcp_tx_cold],
  ] as const) {
    if (!t) continue;
    put(m, at(`${name}/mib_per_s`), t.mib_per_s);
    put(m, at(`${name}/rtos`), t.rtos);
    put(m, at(`${name}/stalls`), t.stalls);
    put(m, at(`${name}/instructions_per_mib`), t.instructions_per_mib);
  }
  for (const c of r.curves ?? []) {
    put(m, at(`curve/${c.mode}/saturation_pps`), c.saturation.delivered_pps);
    put(m, at(`curve/${c.mode}/irqs_per_packet`), c.saturation.irqs_per_packet);
    put(m, at(`curve/${c.mode}/time_squeeze`), c.saturation.time_squeeze);
    const last = c.points[c.points.length - 1];
    put(m, at(`curve/${c.mode}/overload_ratio`), last.offered_pps / c.saturation.delivered_pps);
    put(m, at(`curve/${c.mode}/overload_delivered_pps`), last.delivered_pps);
  }
  for (const c of r.cost ?? []) {
    put(m, at(`cost/${c.mode}/light`), c.light_instructions_per_packet);
    put(m, at(`cost/${c.mode}/saturated`), c.saturated_instructions_per_packet);
    for (const [stage, v] of Object.entries(c.stages ?? {})) put(m, at(`cost/${c.mode}/stage/${stage}`), v);
  }
  for (const l of r.latency ?? []) {
    for (const [name, e] of [
      ["telnet_idle", l.telnet_idle],
      ["telnet_flooded", l.telnet_flooded],
      ["serial_idle", l.serial_idle],
      ["serial_flooded", l.serial_flooded],
    ] as const) {
      put(m, at(`latency/${l.mode}/${name}/p50_ms`), e.p50_ms);
      put(m, at(`latency/${l.mode}/${name}/p99_ms`), e.p99_ms);
    }
    put(m, at(`latency/${l.mode}/flood_pps`), l.flood_offered_pps);
    if (l.poll_lateness) {
      put(m, at(`latency/${l.mode}/netns_poll/p50_us`), l.poll_lateness.p50_us);
      put(m, at(`latency/${l.mode}/netns_poll/p99_us`), l.poll_lateness.p99_us);
      put(m, at(`latency/${l.mode}/netns_poll/max_us`), l.poll_lateness.max_us);
    }
  }
  return m;
}

/** guest -> metric -> figure over the runs. */
export type Figures = Record<string, Record<string, Figure>>;

export function aggregate(results: RunResult[]): Figures {
  const by_guest: Record<string, Record<string, (number | null)[]>> = {};
  for (const r of results) {
    const metrics = (by_guest[r.guest] ??= {});
    for (const [key, value] of Object.entries(flatten(r))) (metrics[key] ??= []).push(value);
  }
  const out: Figures = {};
  for (const [guest, metrics] of Object.entries(by_guest)) {
    out[guest] = {};
    for (const [key, values] of Object.entries(metrics)) out[guest][key] = figure(values);
  }
  return out;
}

export interface MergedPoint {
  target_pps: number;
  offered_pps: number;
  delivered_pps: number;
  delivered_min: number;
  delivered_max: number;
  irqs_per_packet: number;
  instructions_per_packet: number;
}

/** One curve per guest, NIC and mode: each target rate's medians over the runs that reached it. */
export interface MergedCurve {
  guest: string;
  nic: string;
  mode: string;
  points: MergedPoint[];
}

export function merge_curves(results: RunResult[]): MergedCurve[] {
  const groups = new Map<string, { guest: string; nic: string; mode: string; by_target: Map<number, CurvePoint[]> }>();
  for (const r of results) {
    for (const c of r.curves ?? []) {
      const key = `${r.guest}/${r.nic}/${c.mode}`;
      if (!groups.has(key)) groups.set(key, { guest: r.guest, nic: r.nic, mode: c.mode, by_target: new Map() });
      const by_target = groups.get(key)!.by_target;
      for (const p of c.points) {
        if (!by_target.has(p.target_pps)) by_target.set(p.target_pps, []);
        by_target.get(p.target_pps)!.push(p);
      }
    }
  }
  return [...groups.values()].map(({ guest, nic, mode, by_target }) => ({
    guest,
    nic,
    mode,
    points: [...by_target.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([target_pps, points]) => {
        const delivered = points.map((p) => p.delivered_pps);
        return {
          target_pps,
          offered_pps: median(points.map((p) => p.offered_pps)),
          delivered_pps: median(delivered),
          delivered_min: Math.min(...delivered),
          delivered_max: Math.max(...delivered),
          irqs_per_packet: median(points.map((p) => p.irqs_per_packet)),
          instructions_per_packet: median(points.map((p) => p.instructions_per_packet)),
        };
      }),
  }));
}
