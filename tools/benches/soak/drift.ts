// How a figure moved over the soak, once warmed up: its first and last
// samples after the warm-up, and the slope of a least-squares line through
// all of them, so one late spike does not read as a trend. A sample catches
// the traffic wherever it is (a namespace and its threads there or not, a
// transfer's buffers full or empty), so the samples swing by a fifth around
// their level: the line's value at the first and at the last sample, not
// the two samples themselves, tell where the level went.

/** One figure at one time. */
export interface Point {
  t_s: number;
  value: number;
}

/** The drift of one figure after warm-up. */
export interface Drift {
  first: number;
  last: number;
  min: number;
  max: number;
  /** Units per minute, from the least-squares line. */
  slope_per_min: number;
  /** The line's value at the first sample and at the last. */
  level_first: number;
  level_last: number;
}

/** The drift of `points` (those after the warm-up); null with fewer than two. */
export function drift(points: Point[]): Drift | null {
  if (points.length < 2) return null;
  const n = points.length;
  const mean_t = points.reduce((sum, p) => sum + p.t_s, 0) / n;
  const mean_v = points.reduce((sum, p) => sum + p.value, 0) / n;
  let covariance = 0;
  let variance = 0;
  for (const p of points) {
    covariance += (p.t_s - mean_t) * (p.value - mean_v);
    variance += (p.t_s - mean_t) ** 2;
  }
  const values = points.map((p) => p.value);
  const slope_per_s = variance === 0 ? 0 : covariance / variance;
  return {
    first: values[0],
    last: values[n - 1],
    min: Math.min(...values),
    max: Math.max(...values),
    slope_per_min: slope_per_s * 60,
    level_first: mean_v + slope_per_s * (points[0].t_s - mean_t),
    level_last: mean_v + slope_per_s * (points[n - 1].t_s - mean_t),
  };
}

/** "JS heap KiB: 1200 -> 1210 (range 1150..1300), trend +0.5/min, level 1220 -> 1232 (+1.0%)" */
export function describe_drift(name: string, d: Drift | null): string {
  if (d === null) return `${name}: too few samples after warm-up`;
  const signed = (x: number, digits: number) => `${x >= 0 ? "+" : ""}${x.toFixed(digits)}`;
  const change = d.level_first === 0 ? "" : ` (${signed((100 * (d.level_last - d.level_first)) / d.level_first, 1)}%)`;
  return (
    `${name}: ${d.first} -> ${d.last} (range ${d.min}..${d.max}), trend ${signed(d.slope_per_min, 1)}/min, ` +
    `level ${d.level_first.toFixed(0)} -> ${d.level_last.toFixed(0)}${change}`
  );
}
