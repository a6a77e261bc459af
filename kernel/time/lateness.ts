// How late timers fire: actual minus requested expiry, in microseconds. The
// last LATENESS_SAMPLES values are kept for percentiles; count and max cover
// every sample since boot.
const LATENESS_SAMPLES = 1024;

export interface LatenessSummary {
  count: number;
  p50_us: number;
  p99_us: number;
  max_us: number;
}

export class LatenessStats {
  private samples = new Float64Array(LATENESS_SAMPLES);
  private count = 0;
  private max_us = 0;

  record(late_us: number): void {
    this.samples[this.count % LATENESS_SAMPLES] = late_us;
    this.count++;
    if (late_us > this.max_us) this.max_us = late_us;
  }

  summary(): LatenessSummary {
    const kept = this.samples.slice(0, Math.min(this.count, LATENESS_SAMPLES)).sort();
    return {
      count: this.count,
      p50_us: percentile(kept, 0.5),
      p99_us: percentile(kept, 0.99),
      max_us: this.max_us,
    };
  }
}

/** Nearest-rank percentile of ascending values; 0 when there are none. */
function percentile(sorted: Float64Array, fraction: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.ceil(fraction * sorted.length);
  return sorted[Math.max(0, rank - 1)];
}
