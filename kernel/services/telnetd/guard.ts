// What telnetd enforces over all its connections, and counts for
// /proc/telnetd: the password-guessing budget, the pre-login slots, the cap
// on logged-in sessions, and a rate limit on its own log lines, so that a
// flood of connections or guesses cannot flood the console and the log ring
// too (as Linux's printk_ratelimit; what is left out is counted and said).
import { hal } from "../../hal/current";
import { printk } from "../../log";
import { utmp } from "../utmp";
import { GuessBudget } from "./guess_budget";
import type { TelnetdOptions } from "./options";
import { StartupSlots } from "./startup_slots";
import { TokenBucket } from "./token_bucket";

const LOG_LINES_PER_S = 5;
const LOG_BURST = 20;

/** telnetd's limits and counters, shared by its sessions. */
export class TelnetdGuard {
  readonly budget: GuessBudget;
  readonly startups: StartupSlots;
  /** Connections closed because they had not logged in in time. */
  timed_out = 0;
  /** Connections refused because every logged-in session was taken. */
  refused_sessions_full = 0;
  /** Log lines left out by the rate limit. */
  log_suppressed = 0;
  private readonly log_bucket: TokenBucket;
  private log_suppressed_unsaid = 0;

  constructor(readonly options: TelnetdOptions) {
    const now = hal.now_us();
    this.budget = new GuessBudget(now);
    this.startups = new StartupSlots(options.max_startups);
    this.log_bucket = new TokenBucket(LOG_LINES_PER_S, LOG_BURST, now);
  }

  /** The sessions logged in now. */
  logged_in(): number {
    let n = 0;
    for (const session of utmp) if (session.user !== null) n++;
    return n;
  }

  /** printk, unless telnetd has logged too much lately. */
  log(level: number, text: string): void {
    if (!this.log_bucket.take(hal.now_us())) {
      this.log_suppressed++;
      this.log_suppressed_unsaid++;
      return;
    }
    if (this.log_suppressed_unsaid > 0) {
      printk(level, `telnetd: ${this.log_suppressed_unsaid} messages suppressed`);
      this.log_suppressed_unsaid = 0;
    }
    printk(level, text);
  }
}
