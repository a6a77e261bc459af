// One chart of the last minute, in plain SVG: time runs right to "now",
// lines (or bands stacked on each other) for each series, a left axis and
// an optional right one for a series of another scale, and a legend that
// keeps each series' latest value in numbers.
import { WINDOW_MS, type Point } from "./sampler";

export interface ChartSeries {
  label: string;
  color: string;
  points: readonly Point[];
  axis?: "left" | "right";
  /** A dashed line: the same quantity counted another way. */
  dashed?: boolean;
}

export interface ChartOptions {
  title: string;
  /** What the left axis counts ("packets/s"), and the right one if any series uses it. */
  left_unit: string;
  right_unit?: string;
  /** Bands on top of each other (shares of a whole) instead of lines. */
  stacked?: boolean;
  /** A fixed top for the left axis (100 for percentages); otherwise it follows the data. */
  left_top?: number;
}

const SVG = "http://www.w3.org/2000/svg";
const WIDTH = 460;
const HEIGHT = 160;
const PLOT = { left: 44, right: WIDTH - 44, top: 20, bottom: HEIGHT - 18 };
/** Points further apart than this are not joined: the source was silent in between. */
const GAP_MS = 2500;

export class SvgChart {
  readonly element: HTMLElement;
  private readonly svg: SVGSVGElement;
  private readonly legend: HTMLElement;

  constructor(
    parent: HTMLElement,
    private readonly options: ChartOptions,
  ) {
    this.element = document.createElement("figure");
    this.element.className = "chart";
    const caption = document.createElement("figcaption");
    caption.textContent = options.title;
    this.svg = document.createElementNS(SVG, "svg");
    this.svg.setAttribute("viewBox", `0 0 ${WIDTH} ${HEIGHT}`);
    this.svg.setAttribute("width", String(WIDTH));
    this.svg.setAttribute("height", String(HEIGHT));
    this.legend = document.createElement("div");
    this.legend.className = "legend";
    this.element.append(caption, this.svg, this.legend);
    parent.append(this.element);
  }

  draw(series: ChartSeries[], now_ms: number): void {
    const from_ms = now_ms - WINDOW_MS;
    const x = (at_ms: number) => PLOT.left + ((at_ms - from_ms) / WINDOW_MS) * (PLOT.right - PLOT.left);
    const layers = this.options.stacked ? stack(series) : series.map((s) => ({ series: s, lower: null, upper: s.points }));
    const max = (axis: "left" | "right") =>
      Math.max(0, ...layers.filter((l) => (l.series.axis ?? "left") === axis).flatMap((l) => l.upper.map((p) => p.value)));
    const left_top = this.options.left_top ?? nice_ceiling(max("left"));
    const lines = divisions(left_top);
    // The right axis shares the left one's grid lines, each at a round value of its own.
    const tops = { left: left_top, right: nice_ceiling(max("right") / lines) * lines };
    const y = (value: number, axis: "left" | "right") =>
      PLOT.bottom - (Math.min(value, tops[axis]) / tops[axis]) * (PLOT.bottom - PLOT.top);

    const children: SVGElement[] = [...this.grid(tops.left, tops.right, lines, series)];
    for (const { series: s, lower, upper } of layers) {
      const axis = s.axis ?? "left";
      for (const run of runs(upper)) {
        const line = run.map((p) => `${x(p.at_ms).toFixed(1)},${y(p.value, axis).toFixed(1)}`);
        if (lower === null) {
          const style = { points: line.join(" "), fill: "none", stroke: s.color, "stroke-width": "1.5" };
          children.push(svg_element("polyline", s.dashed ? { ...style, "stroke-dasharray": "4 3" } : style));
          continue;
        }
        const floor = run.map((p) => `${x(p.at_ms).toFixed(1)},${y(value_at(lower, p.at_ms), axis).toFixed(1)}`).reverse();
        children.push(svg_element("polygon", { points: [...line, ...floor].join(" "), fill: s.color, stroke: "none" }));
      }
    }
    this.svg.replaceChildren(...children);
    this.legend.replaceChildren(...series.map((s) => legend_entry(s)));
  }

  /** Horizontal grid lines with the left (and right) axis values, and the time axis. */
  private grid(left_top: number, right_top: number, lines: number, series: ChartSeries[]): SVGElement[] {
    const out: SVGElement[] = [];
    const right_used = series.some((s) => s.axis === "right");
    for (let i = 0; i <= lines; i++) {
      const y = PLOT.bottom - (i / lines) * (PLOT.bottom - PLOT.top);
      out.push(svg_element("line", { x1: String(PLOT.left), x2: String(PLOT.right), y1: String(y), y2: String(y), class: "grid" }));
      out.push(svg_text(short_number((left_top * i) / lines), PLOT.left - 4, y + 4, "end"));
      if (right_used) out.push(svg_text(short_number((right_top * i) / lines), PLOT.right + 4, y + 4, "start"));
    }
    // Units above the axes' top values, clear of the data.
    out.push(svg_text(this.options.left_unit, 4, 10, "start"));
    if (right_used && this.options.right_unit) out.push(svg_text(this.options.right_unit, WIDTH - 4, 10, "end"));
    for (const seconds of [60, 45, 30, 15, 0]) {
      const x = PLOT.left + ((WINDOW_MS - seconds * 1000) / WINDOW_MS) * (PLOT.right - PLOT.left);
      out.push(svg_text(seconds === 0 ? "now" : `-${seconds} s`, x, HEIGHT - 4, "middle"));
    }
    return out;
  }
}

/** Each series on top of the ones before it: its band runs from `lower` to `upper`. */
function stack(series: ChartSeries[]): { series: ChartSeries; lower: Point[]; upper: Point[] }[] {
  const times = [...new Set(series.flatMap((s) => s.points.map((p) => p.at_ms)))].sort((a, b) => a - b);
  let lower = times.map((at_ms) => ({ at_ms, value: 0 }));
  return series.map((s) => {
    const values = new Map(s.points.map((p) => [p.at_ms, p.value]));
    const upper = lower.map((p) => ({ at_ms: p.at_ms, value: p.value + (values.get(p.at_ms) ?? 0) }));
    const layer = { series: s, lower, upper };
    lower = upper;
    return layer;
  });
}

/** The points split where the source fell silent. */
function runs(points: readonly Point[]): Point[][] {
  const out: Point[][] = [];
  for (const p of points) {
    const run = out[out.length - 1];
    if (run && p.at_ms - run[run.length - 1].at_ms <= GAP_MS) run.push(p);
    else out.push([p]);
  }
  return out;
}

function value_at(points: Point[], at_ms: number): number {
  return points.find((p) => p.at_ms === at_ms)?.value ?? 0;
}

/** The axis top: the next 1, 2 or 5 times a power of ten at or above `max` (at least 1). */
function nice_ceiling(max: number): number {
  let power = 1;
  while (power * 10 < max) power *= 10;
  for (const factor of [1, 2, 5]) if (power * factor >= max) return power * factor;
  return power * 10;
}

/** Grid divisions that put round values on the lines: 1 in fifths, 2 in quarters, 5 in fifths. */
function divisions(top: number): number {
  return String(top)[0] === "2" ? 4 : 5;
}

export function short_number(value: number): string {
  if (!Number.isFinite(value)) return "–";
  const abs = Math.abs(value);
  if (abs >= 10_000 || (abs >= 1000 && value % 1000 === 0)) return `${Math.round(value / 1000)}k`;
  if (abs >= 1000) return `${(value / 1000).toFixed(1)}k`;
  if (abs >= 10 || value === Math.round(value)) return String(Math.round(value));
  return value.toFixed(1);
}

function legend_entry(series: ChartSeries): HTMLElement {
  const entry = document.createElement("span");
  const swatch = document.createElement("i");
  swatch.style.background = series.color;
  const latest = series.points[series.points.length - 1];
  const value = document.createElement("b");
  value.textContent = latest ? short_number(latest.value) : "–";
  entry.append(swatch, `${series.label} `, value);
  return entry;
}

function svg_element(tag: string, attributes: Record<string, string>): SVGElement {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  return element;
}

function svg_text(text: string, x: number, y: number, anchor: "start" | "middle" | "end"): SVGElement {
  const element = svg_element("text", { x: x.toFixed(1), y: y.toFixed(1), "text-anchor": anchor });
  element.textContent = text;
  return element;
}
