// Which password guesses telnetd checks, over all its connections: a token
// bucket for everyone (GUESS_RATE_PER_S sustained, GUESS_BURST at once) and
// a record per source address. A source whose guesses keep failing is held
// off for longer after each failure, and the last tokens of the bucket are
// kept for sources without failures, so an attacker that drains the budget
// does not lock out a user who comes from elsewhere. A guess that is not
// admitted may wait its turn (login.ts decides how long) or is refused
// unchecked: hanging up or reconnecting gains nothing, since the budget
// belongs to no connection.
import { TokenBucket } from "./token_bucket";

/** Guesses checked per second over every connection, sustained. */
export const GUESS_RATE_PER_S = 2;
/** Guesses that may be checked at once after a quiet spell. */
export const GUESS_BURST = 4;
/** Tokens only a source without recent failures may spend. */
export const CLEAN_RESERVE = 2;
/** Failures a source may have before it is held off. */
export const FREE_FAILURES = 3;
/** The first hold-off; it doubles with each further failure, up to HOLD_OFF_MAX_US. */
const HOLD_OFF_BASE_US = 1_000_000;
const HOLD_OFF_MAX_US = 60_000_000;
/** A source's failures are forgotten this long after its last one. */
const FORGET_US = 600_000_000;
/** Sources remembered at once; the one whose last failure is oldest makes room. */
export const MAX_SOURCES = 256;

/** What happens to a guess: it is checked, or refused for want of budget, or because its source is held off. */
export type Admission = "checked" | "over_budget" | "held_off";

/** What is remembered of a source address that failed. */
export interface SourceRecord {
  failures: number;
  last_failure_us: number;
}

/** How long a source with `failures` failures must wait after its last one. */
export function hold_off_us(failures: number): number {
  if (failures <= FREE_FAILURES) return 0;
  return Math.min(HOLD_OFF_MAX_US, HOLD_OFF_BASE_US * 2 ** (failures - FREE_FAILURES - 1));
}

/** The guessing budget and its counters. */
export class GuessBudget {
  readonly bucket: TokenBucket;
  /** Sources with failures, by IPv4 address. */
  readonly sources = new Map<number, SourceRecord>();
  checked = 0;
  logins = 0;
  failures = 0;
  refused_over_budget = 0;
  refused_held_off = 0;

  constructor(now_us: number) {
    this.bucket = new TokenBucket(GUESS_RATE_PER_S, GUESS_BURST, now_us);
  }

  /** Whether a guess from `source` may be checked now; one that may spends a token. */
  admit(source: number, now_us: number): Admission {
    const record = this.record(source, now_us);
    if (record !== null && now_us < record.last_failure_us + hold_off_us(record.failures)) return "held_off";
    if (!this.bucket.take(now_us, record === null ? 0 : CLEAN_RESERVE)) return "over_budget";
    this.checked++;
    return "checked";
  }

  /** µs until a guess from `source` could be admitted, if no one else spends the budget meanwhile. */
  wait_us(source: number, now_us: number): number {
    const record = this.record(source, now_us);
    const held = record === null ? 0 : Math.max(0, record.last_failure_us + hold_off_us(record.failures) - now_us);
    return Math.max(held, this.bucket.wait_us(now_us + held, record === null ? 0 : CLEAN_RESERVE));
  }

  /** A guess that was not admitted is given up: count it under its reason. */
  refused(admission: Exclude<Admission, "checked">): void {
    if (admission === "held_off") this.refused_held_off++;
    else this.refused_over_budget++;
  }

  /** The outcome of a checked guess: a login clears its source's record, a failure adds to it. */
  settle(source: number, ok: boolean, now_us: number): void {
    if (ok) {
      this.logins++;
      this.sources.delete(source);
      return;
    }
    this.failures++;
    let record = this.sources.get(source);
    if (record === undefined) {
      if (this.sources.size >= MAX_SOURCES) this.forget_oldest();
      record = { failures: 0, last_failure_us: now_us };
      this.sources.set(source, record);
    }
    record.failures++;
    record.last_failure_us = now_us;
  }

  /** When `source` may next be checked (0: now). */
  held_off_until(source: number): number {
    const record = this.sources.get(source);
    return record === undefined ? 0 : record.last_failure_us + hold_off_us(record.failures);
  }

  /** The source's record, unless it has none or it was due to be forgotten. */
  private record(source: number, now_us: number): SourceRecord | null {
    const record = this.sources.get(source);
    if (record === undefined) return null;
    if (now_us - record.last_failure_us < FORGET_US) return record;
    this.sources.delete(source);
    return null;
  }

  private forget_oldest(): void {
    let oldest: number | null = null;
    let oldest_us = Infinity;
    for (const [source, record] of this.sources) {
      if (record.last_failure_us < oldest_us) {
        oldest = source;
        oldest_us = record.last_failure_us;
      }
    }
    if (oldest !== null) this.sources.delete(oldest);
  }
}
