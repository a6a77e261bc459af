// How a figure moved over the soak, once warmed up: its first and last
// samples after the warm-up, and the slope of a least-squares line through
// all of them, so one late spike does not read as a trend.

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
  return {
    first: values[0],
    last: values[n - 1],
    min: Math.min(...values),
    max: Math.max(...values),
    slope_per_min: variance === 0 ? 0 : (covariance / variance) * 60,
  };
}

/** "JS heap (KiB): 1200 -> 1210 (range 1150..1300), +0.5/min" */
export function describe_drift(name: string, d: Drift | null): string {
  if (d === null) return `${name}: too few samples after warm-up`;
  const sign = d.slope_per_min >= 0 ? "+" : "";
  return `${name}: ${d.first} -> ${d.last} (range ${d.min}..${d.max}), trend ${sign}${d.slope_per_min.toFixed(1)}/min`;
}
