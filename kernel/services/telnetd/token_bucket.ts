// A token bucket: tokens flow in at a steady rate up to a ceiling (the
// burst), and each admitted event spends one. Time is passed in, so the
// bucket runs the same on the guest's clock and in host tests.

/** `rate_per_s` tokens a second, at most `burst` saved up; starts full. */
export class TokenBucket {
  private level: number;
  private updated_us: number;

  constructor(
    readonly rate_per_s: number,
    readonly burst: number,
    now_us: number,
  ) {
    this.level = burst;
    this.updated_us = now_us;
  }

  /** The tokens there are at `now_us` (a fraction while one is filling); only take() changes the bucket. */
  tokens(now_us: number): number {
    if (now_us <= this.updated_us) return this.level;
    return Math.min(this.burst, this.level + ((now_us - this.updated_us) * this.rate_per_s) / 1e6);
  }

  /**
   * Spend one token if one is there beyond the `keep` held back for
   * others; false (nothing spent) if not.
   */
  take(now_us: number, keep = 0): boolean {
    const level = this.tokens(now_us);
    if (level < keep + 1) return false;
    this.level = level - 1;
    this.updated_us = Math.max(this.updated_us, now_us);
    return true;
  }

  /** µs from `now_us` until take(keep) could succeed, if nothing is taken meanwhile; Infinity if never. */
  wait_us(now_us: number, keep = 0): number {
    if (keep + 1 > this.burst) return Infinity;
    return Math.max(0, ((keep + 1 - this.tokens(now_us)) * 1e6) / this.rate_per_s);
  }
}
