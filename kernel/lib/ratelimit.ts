// A log line that may come once per packet, rate-limited as Linux's
// net_ratelimit() is: at most `burst` lines in each `interval_us`; what is
// left out is counted and said with the next line that goes out.
import { hal } from "../hal/current";
import { printk } from "../log";

/** A rate limit on one kind of kernel log line. */
export class RateLimitedLog {
  /** Lines left out so far. */
  suppressed = 0;
  private window_start = -Infinity;
  private in_window = 0;
  private unsaid = 0;

  constructor(
    private readonly interval_us = 5_000_000,
    private readonly burst = 10,
  ) {}

  /**
   * printk `text()` unless too many lines went out lately (the text is only
   * built when it goes). Never throws: under memory pressure a report that
   * cannot be made is counted as suppressed.
   */
  log(level: number, text: () => string): void {
    const now = hal.now_us();
    if (now - this.window_start >= this.interval_us) {
      this.window_start = now;
      this.in_window = 0;
    }
    if (this.in_window >= this.burst) {
      this.suppressed++;
      this.unsaid++;
      return;
    }
    this.in_window++;
    try {
      const line = text();
      printk(level, this.unsaid > 0 ? `${line}\n(${this.unsaid} similar messages suppressed)` : line);
      this.unsaid = 0;
    } catch {
      this.suppressed++;
    }
  }
}
