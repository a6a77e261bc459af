// Percentiles of samples, and the figure reported for repeated runs: the
// median run, with the spread (min and max) of all of them kept.

/** The nearest-rank percentile (p in 0..100) of the samples; NaN for none. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

export function median(samples: readonly number[]): number {
  if (samples.length === 0) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export interface Figure {
  median: number;
  min: number;
  max: number;
  /** Each run's value, in run order. */
  runs: number[];
}

/** Null values (a run that could not measure this) are left out. */
export function figure(runs: readonly (number | null)[]): Figure {
  const values = runs.filter((v): v is number => v !== null && Number.isFinite(v));
  return {
    median: median(values),
    min: values.length ? Math.min(...values) : NaN,
    max: values.length ? Math.max(...values) : NaN,
    runs: values,
  };
}
