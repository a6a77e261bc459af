// A rate limit as Linux's icmp_ratelimit keeps one: a token bucket that
// holds at most `burst` tokens and gains one every `interval_us`, each
// admitted event spending one. Counted in whole tokens, so that asking it
// costs a comparison or two: the SYN screen asks it for every SYN of a
// flood.

/** At most `burst` events at once, and one more each `interval_us`. */
export class RateLimit {
  private tokens: number;
  private refill_at = 0;

  constructor(
    private readonly burst: number,
    private readonly interval_us: number,
  ) {
    this.tokens = burst;
  }

  /** Spend a token, if there is one at `now_us`. */
  take(now_us: number): boolean {
    if (now_us >= this.refill_at) {
      const refills = Math.floor((now_us - this.refill_at) / this.interval_us) + 1;
      this.tokens = Math.min(this.burst, this.tokens + refills);
      this.refill_at = now_us + this.interval_us;
    }
    if (this.tokens === 0) return false;
    this.tokens--;
    return true;
  }
}
