// Every second, the sampler reads running totals from its sources and keeps
// each as a rate: the latest one (for the table) and those of the last
// minute (for the charts). A source says when its totals were true: the
// host's counters are read on the spot, the guest's figures come back over
// Telnet whenever the guest finds time to answer. A rate is taken between
// two readings of the same source, so a guest too busy to answer leaves a
// gap in its series (and then one rate averaged over the silence) instead
// of a false zero.
export interface Reading {
  /** performance.now() when the totals were taken. */
  at_ms: number;
  totals: Map<string, number>;
}

/** A source of running totals; null while it has none yet. */
export type TotalsSource = () => Reading | null;

export interface Point {
  at_ms: number;
  value: number;
}

export const WINDOW_MS = 60_000;

export class Sampler {
  /** The latest totals and rates (per second), by name, of every source. */
  totals = new Map<string, number>();
  rates = new Map<string, number>();
  /** Each name's rates of the last WINDOW_MS, oldest first, each at the end of its interval. */
  readonly history = new Map<string, Point[]>();
  /** Called after every sampling round. */
  readonly on_sample: (() => void)[] = [];
  private readonly last: (Reading | null)[];
  private readonly last_rates: Map<string, number>[];

  constructor(private readonly sources: TotalsSource[]) {
    this.last = sources.map(() => null);
    this.last_rates = sources.map(() => new Map());
  }

  start(interval_ms = 1000): void {
    setInterval(() => this.sample(), interval_ms);
  }

  /** The rates `name` had over the last WINDOW_MS (empty if none yet). */
  series(name: string): Point[] {
    return this.history.get(name) ?? [];
  }

  /** Read every source once; `now` only decides which points have left the window. */
  sample(now = performance.now()): void {
    this.sources.forEach((source, i) => {
      const reading = source();
      const last = this.last[i];
      if (reading === null || (last !== null && reading.at_ms <= last.at_ms)) return; // nothing new from this source
      if (last !== null) this.last_rates[i] = this.rates_between(last, reading);
      this.last[i] = reading;
    });
    this.totals = new Map(this.last.flatMap((reading) => (reading ? [...reading.totals] : [])));
    this.rates = new Map(this.last_rates.flatMap((rates) => [...rates]));
    for (const [name, points] of this.history) {
      while (points.length > 0 && points[0].at_ms < now - WINDOW_MS) points.shift();
      if (points.length === 0) this.history.delete(name); // a thread that exited, say
    }
    for (const listener of this.on_sample) listener();
  }

  /** The rates from one reading to the next, also added to the history. */
  private rates_between(from: Reading, to: Reading): Map<string, number> {
    const seconds = (to.at_ms - from.at_ms) / 1000;
    const rates = new Map<string, number>();
    for (const [name, total] of to.totals) {
      const rate = (total - (from.totals.get(name) ?? 0)) / seconds;
      rates.set(name, rate);
      let points = this.history.get(name);
      if (!points) this.history.set(name, (points = []));
      points.push({ at_ms: to.at_ms, value: rate });
    }
    return rates;
  }
}
