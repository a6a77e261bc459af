// Two kinds of chart as plain SVG text, enough for the benchmark's plots: a
// line chart (linear or logarithmic axes, optional min/max whiskers) and a
// grouped bar chart (whiskers for the spread of the runs). No library: the
// markup is simple, and the files are small enough to commit.

const WIDTH = 720;
const HEIGHT = 460;
const MARGIN = { left: 78, right: 24, top: 48, bottom: 84 };
const FONT = 'font-family="sans-serif"';
const SMALL = `${FONT} font-size="12"`;

export interface LineSeries {
  name: string;
  color: string;
  dashed?: boolean;
  points: { x: number; y: number; y_min?: number; y_max?: number }[];
}

export interface LineChart {
  title: string;
  x_label: string;
  y_label: string;
  log_x?: boolean;
  log_y?: boolean;
  series: LineSeries[];
}

export interface BarGroup {
  label: string;
  bars: { name: string; color: string; value: number; min?: number; max?: number }[];
}

export interface BarChart {
  title: string;
  y_label: string;
  log_y?: boolean;
  groups: BarGroup[];
}

function escape(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** 1.5k, 20M, 0.25: short labels for ticks and bars. */
export function short_number(v: number): string {
  const abs = Math.abs(v);
  const trim = (x: number) => String(Number(x.toPrecision(3)));
  if (abs >= 1e9) return `${trim(v / 1e9)}G`;
  if (abs >= 1e6) return `${trim(v / 1e6)}M`;
  if (abs >= 1e4) return `${trim(v / 1e3)}k`;
  return trim(v);
}

interface Scale {
  at(v: number): number;
  ticks: number[];
}

/** Ticks at 1, 2 and 5 times powers of ten: all of them on a log axis, a handful on a linear one. */
function scale(min: number, max: number, log: boolean, from_px: number, to_px: number): Scale {
  if (log) {
    const lo = Math.floor(Math.log10(min));
    const hi = Math.ceil(Math.log10(max));
    const ticks: number[] = [];
    for (let e = lo; e <= hi; e++) for (const m of [1, 2, 5]) ticks.push(m * 10 ** e);
    const at = (v: number) => from_px + ((Math.log10(v) - lo) / (hi - lo || 1)) * (to_px - from_px);
    return { at, ticks: ticks.filter((t) => t >= 10 ** lo && t <= 10 ** hi) };
  }
  const raw = (max - Math.min(0, min)) / 6 || 1;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw)!;
  const top = Math.ceil(max / step) * step || step;
  const ticks: number[] = [];
  for (let t = 0; t <= top + step / 2; t += step) ticks.push(t);
  return { at: (v: number) => from_px + (v / top) * (to_px - from_px), ticks };
}

function frame(title: string, x_label: string, y_label: string, body: string[]): string {
  const plot_mid_y = (MARGIN.top + HEIGHT - MARGIN.bottom) / 2;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}">`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="white"/>`,
    `<text x="${WIDTH / 2}" y="24" text-anchor="middle" ${FONT} font-size="15" font-weight="bold">${escape(title)}</text>`,
    `<text x="${(MARGIN.left + WIDTH - MARGIN.right) / 2}" y="${HEIGHT - 42}" text-anchor="middle" ${SMALL}>${escape(x_label)}</text>`,
    `<text x="16" y="${plot_mid_y}" text-anchor="middle" ${SMALL} transform="rotate(-90 16 ${plot_mid_y})">${escape(y_label)}</text>`,
    ...body,
    "</svg>",
    "",
  ].join("\n");
}

function y_axis(y: Scale): string[] {
  const out: string[] = [];
  for (const t of y.ticks) {
    const py = y.at(t).toFixed(1);
    out.push(`<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${py}" y2="${py}" stroke="#e4e4e4"/>`);
    out.push(`<text x="${MARGIN.left - 6}" y="${py}" dy="4" text-anchor="end" ${SMALL}>${short_number(t)}</text>`);
  }
  return out;
}

/** One row under the plot, so it never hides data. */
function legend(entries: { name: string; color: string; dashed?: boolean }[]): string[] {
  const y = HEIGHT - 16;
  let x = MARGIN.left;
  return entries.map((e) => {
    const dash = e.dashed ? ' stroke-dasharray="6 4"' : "";
    const item =
      `<line x1="${x}" x2="${x + 24}" y1="${y}" y2="${y}" stroke="${e.color}" stroke-width="3"${dash}/>` +
      `<text x="${x + 30}" y="${y}" dy="4" ${SMALL}>${escape(e.name)}</text>`;
    x += 50 + e.name.length * 7;
    return item;
  });
}

export function line_chart(chart: LineChart): string {
  const all = chart.series.flatMap((s) => s.points);
  const xs = all.map((p) => p.x);
  const ys = all.flatMap((p) => [p.y, p.y_min ?? p.y, p.y_max ?? p.y]).filter((v) => !chart.log_y || v > 0);
  const x = scale(Math.min(...xs), Math.max(...xs), !!chart.log_x, MARGIN.left, WIDTH - MARGIN.right);
  const y = scale(Math.min(...ys), Math.max(...ys), !!chart.log_y, HEIGHT - MARGIN.bottom, MARGIN.top);
  const body = y_axis(y);
  for (const t of x.ticks) {
    const px = x.at(t).toFixed(1);
    body.push(`<line x1="${px}" x2="${px}" y1="${MARGIN.top}" y2="${HEIGHT - MARGIN.bottom}" stroke="#f0f0f0"/>`);
    body.push(`<text x="${px}" y="${HEIGHT - MARGIN.bottom + 16}" text-anchor="middle" ${SMALL}>${short_number(t)}</text>`);
  }
  for (const s of chart.series) {
    const pts = s.points.filter((p) => !chart.log_y || p.y > 0).sort((a, b) => a.x - b.x);
    const dash = s.dashed ? ' stroke-dasharray="6 4"' : "";
    body.push(
      `<polyline fill="none" stroke="${s.color}" stroke-width="2"${dash} points="${pts.map((p) => `${x.at(p.x).toFixed(1)},${y.at(p.y).toFixed(1)}`).join(" ")}"/>`,
    );
    for (const p of pts) {
      const px = x.at(p.x).toFixed(1);
      if (p.y_min !== undefined && p.y_max !== undefined && (!chart.log_y || p.y_min > 0)) {
        body.push(`<line x1="${px}" x2="${px}" y1="${y.at(p.y_min).toFixed(1)}" y2="${y.at(p.y_max).toFixed(1)}" stroke="${s.color}"/>`);
      }
      body.push(`<circle cx="${px}" cy="${y.at(p.y).toFixed(1)}" r="3" fill="${s.color}"/>`);
    }
  }
  body.push(...legend(chart.series));
  return frame(chart.title, chart.x_label, chart.y_label, body);
}

export function bar_chart(chart: BarChart): string {
  const values = chart.groups.flatMap((g) => g.bars.flatMap((b) => [b.value, b.max ?? b.value])).filter((v) => v > 0);
  const y = scale(chart.log_y ? Math.min(...values) : 0, Math.max(...values), !!chart.log_y, HEIGHT - MARGIN.bottom, MARGIN.top);
  const body = y_axis(y);
  const base = HEIGHT - MARGIN.bottom;
  const group_width = (WIDTH - MARGIN.left - MARGIN.right) / chart.groups.length;
  chart.groups.forEach((g, gi) => {
    const bar_width = Math.min(60, (group_width * 0.7) / g.bars.length);
    const left = MARGIN.left + gi * group_width + (group_width - bar_width * g.bars.length) / 2;
    g.bars.forEach((b, bi) => {
      if (!(b.value > 0)) return;
      const x0 = left + bi * bar_width;
      const top = y.at(b.value);
      body.push(
        `<rect x="${(x0 + 2).toFixed(1)}" y="${top.toFixed(1)}" width="${(bar_width - 4).toFixed(1)}" height="${(base - top).toFixed(1)}" fill="${b.color}"/>`,
      );
      const mid = (x0 + bar_width / 2).toFixed(1);
      if (b.min !== undefined && b.max !== undefined && b.min > 0) {
        body.push(`<line x1="${mid}" x2="${mid}" y1="${y.at(b.min).toFixed(1)}" y2="${y.at(b.max).toFixed(1)}" stroke="black"/>`);
      }
      body.push(
        `<text x="${mid}" y="${(Math.min(top, b.max !== undefined ? y.at(b.max) : top) - 4).toFixed(1)}" text-anchor="middle" ${FONT} font-size="10">${short_number(b.value)}</text>`,
      );
    });
    body.push(
      `<text x="${(MARGIN.left + (gi + 0.5) * group_width).toFixed(1)}" y="${base + 16}" text-anchor="middle" ${SMALL}>${escape(g.label)}</text>`,
    );
  });
  const names = new Map<string, string>();
  for (const g of chart.groups) for (const b of g.bars) names.set(b.name, b.color);
  body.push(...legend([...names].map(([name, color]) => ({ name, color }))));
  return frame(chart.title, "", chart.y_label, body);
}
