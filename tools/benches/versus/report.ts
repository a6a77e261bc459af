// Writes a comparison's results: results.json (every run, the figures, the
// merged curves), the SVG plots, and summary.md with the side-by-side table;
// with --docs, the plots and the summary also go to docs/bench/.
import fs from "fs";
import path from "path";
import { Figures, MergedCurve, aggregate, merge_curves } from "./aggregate";
import { nic_label } from "./guest_profile";
import { Plan } from "./plan";
import { RunResult } from "./run_guest";
import { BarGroup, LineSeries, bar_chart, line_chart } from "./svg_chart";
import { summary_table } from "./summary_table";

export const DOCS_DIR = path.join(__dirname, "..", "..", "..", "docs", "bench");

const COLORS: Record<string, string> = {
  "napkin napi": "#1f77b4",
  "napkin interrupt": "#1f77b4",
  "linux napi": "#ff7f0e",
  napkin: "#1f77b4",
  linux: "#ff7f0e",
};
const NAMES: Record<string, string> = {
  "napkin napi": "napkin, NAPI",
  "napkin interrupt": "napkin, interrupt mode",
  "linux napi": "Linux (NAPI)",
};

function curve_series(
  curves: MergedCurve[],
  nic: string,
  y: (p: MergedCurve["points"][number]) => number,
  whiskers: boolean,
): LineSeries[] {
  return curves
    .filter((c) => c.nic === nic)
    .map((c) => {
      const key = `${c.guest} ${c.mode}`;
      return {
        name: NAMES[key] ?? key,
        color: COLORS[key] ?? "#888",
        dashed: c.mode === "interrupt",
        points: c.points.map((p) => ({
          x: p.offered_pps,
          y: y(p),
          ...(whiskers ? { y_min: p.delivered_min, y_max: p.delivered_max } : {}),
        })),
      };
    });
}

function bars(figures: Figures, groups: { label: string; key: string }[]): BarGroup[] {
  return groups.map(({ label, key }) => ({
    label,
    bars: ["napkin", "linux"].map((guest) => {
      const f = figures[guest]?.[key];
      return { name: guest === "linux" ? "Linux" : "napkin", color: COLORS[guest], value: f?.median ?? NaN, min: f?.min, max: f?.max };
    }),
  }));
}

function has_data(groups: BarGroup[]): boolean {
  return groups.some((g) => g.bars.some((b) => b.value > 0));
}

function plots(results: RunResult[], figures: Figures, plan: Plan): Record<string, string> {
  const out: Record<string, string> = {};
  const curves = merge_curves(results);
  for (const nic of plan.curve_nics) {
    const delivered = curve_series(curves, nic, (p) => p.delivered_pps, true);
    if (delivered.length === 0) continue;
    const offered = delivered.flatMap((s) => s.points.map((p) => p.x));
    delivered.push({
      name: "delivered = offered",
      color: "#bbbbbb",
      dashed: true,
      points: [Math.min(...offered), Math.max(...offered)].map((v) => ({ x: v, y: v })),
    });
    out[`rx_curve_${nic}.svg`] = line_chart({
      title: `UDP receive on ${nic}: delivered against offered`,
      x_label: "offered packets/s (64-byte frames to port 9)",
      y_label: "delivered packets/s",
      log_x: true,
      log_y: true,
      series: delivered,
    });
    out[`irqs_per_packet_${nic}.svg`] = line_chart({
      title: `IRQs per received packet on ${nic}`,
      x_label: "offered packets/s",
      y_label: "NIC interrupts per packet",
      log_x: true,
      series: curve_series(curves, nic, (p) => p.irqs_per_packet, false),
    });
    out[`instructions_per_packet_${nic}.svg`] = line_chart({
      title: `Guest instructions per received packet on ${nic}`,
      x_label: "offered packets/s",
      y_label: "guest instructions per packet",
      log_x: true,
      log_y: true,
      series: curve_series(curves, nic, (p) => p.instructions_per_packet, false),
    });
  }
  const first = nic_label(plan.nics[0]);
  const cost = bars(figures, [
    { label: "ping (warm)", key: `${first}/ping/warm/instructions` },
    { label: "UDP rx, 250/s", key: `${plan.curve_nics[0]}/cost/napi/light` },
    { label: "UDP rx, saturated", key: `${plan.curve_nics[0]}/cost/napi/saturated` },
    { label: "MiB of TCP rx", key: `${first}/tcp-rx/instructions_per_mib` },
    { label: "MiB of TCP tx", key: `${first}/tcp-tx/instructions_per_mib` },
  ]);
  if (has_data(cost))
    out["guest_instructions.svg"] = bar_chart({
      title: `Guest instructions per unit of work (${first}, NAPI)`,
      y_label: "guest instructions",
      log_y: true,
      groups: cost,
    });
  const tcp = bars(
    figures,
    plan.nics.map(nic_label).flatMap((nic) => [
      { label: `${nic} rx`, key: `${nic}/tcp-rx/mib_per_s` },
      { label: `${nic} tx`, key: `${nic}/tcp-tx/mib_per_s` },
    ]),
  );
  if (has_data(tcp)) out["tcp_throughput.svg"] = bar_chart({ title: "TCP, 4 MiB each way", y_label: "MiB/s", log_y: true, groups: tcp });
  const boot = bars(
    figures,
    plan.nics.map(nic_label).map((nic) => ({ label: nic, key: `${nic}/boot/ms` })),
  );
  if (has_data(boot)) out["boot.svg"] = bar_chart({ title: "Boot: power-on to shell prompt", y_label: "ms", log_y: true, groups: boot });
  return out;
}

export function write_report(results: RunResult[], plan: Plan, meta: Record<string, unknown>): string {
  const figures = aggregate(results);
  const table = summary_table(figures, plan);
  const charts = plots(results, figures, plan);
  fs.mkdirSync(plan.out_dir, { recursive: true });
  fs.writeFileSync(
    path.join(plan.out_dir, "results.json"),
    JSON.stringify({ meta, figures, curves: merge_curves(results), runs: results }, null, 1) + "\n",
  );
  const summary = `# napkin and Linux in the same v86\n\n${meta_lines(meta)}\n${table}\n${NOTES}`;
  fs.writeFileSync(path.join(plan.out_dir, "summary.md"), summary);
  for (const [name, svg] of Object.entries(charts)) fs.writeFileSync(path.join(plan.out_dir, name), svg);
  if (plan.docs) {
    fs.mkdirSync(DOCS_DIR, { recursive: true });
    fs.writeFileSync(path.join(DOCS_DIR, "summary.md"), summary);
    for (const [name, svg] of Object.entries(charts)) fs.writeFileSync(path.join(DOCS_DIR, name), svg);
  }
  return table;
}

const NOTES = `Each cell is the median of the runs, with the lowest and highest in small print.
The ratio is napkin's median over Linux's; ↓ marks a measurement where lower is
better, ↑ one where higher is better. Rows for napkin's interrupt mode compare it
with Linux, whose drivers always use NAPI. Guest instructions come from v86's
instruction counter; times are wall-clock on the host that ran the emulator.
A flooded echo that never came back within its time budget counts as the time
waited (a lower bound). v86 runs the guest and the host side on one thread,
so the offered rate of a flood cannot exceed what can be injected between the
guest's time slices; results.json says when a curve stopped there
(wire_limited) before reaching 4x saturation.
`;

function meta_lines(meta: Record<string, unknown>): string {
  return (
    Object.entries(meta)
      .map(([k, v]) => `- ${k}: ${Array.isArray(v) ? v.join(", ") : String(v)}`)
      .join("\n") + "\n"
  );
}
