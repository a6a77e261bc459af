// The connections that have not logged in yet (sshd's "startups"), capped
// apart from the logged-in sessions, so idle connections never take a
// user's seat. When every slot is held, a newcomer takes the oldest slot of
// the source address holding the most, if that source would still hold more
// than the newcomer's; otherwise the newcomer is refused. One source can
// thus fill the slots only while no one else wants one, and connecting again
// and again from it takes nothing from anyone else.

/** A connection waiting to log in. */
export interface Startup {
  /** Its source IPv4 address. */
  readonly source: number;
  /** Give up the slot: the connection is closed, as another took its place. */
  evict(): void;
}

/** The pre-login slots and what happened at their door. */
export class StartupSlots {
  /** Oldest first. */
  private readonly held: Startup[] = [];
  refused = 0;
  evicted = 0;

  constructor(readonly max: number) {}

  /** How many connections wait to log in. */
  get count(): number {
    return this.held.length;
  }

  /** Give `newcomer` a slot, taking one from the largest holder if that is fair; false if refused. */
  admit(newcomer: Startup): boolean {
    if (this.held.length >= this.max) {
      const victim = this.victim_for(newcomer.source);
      if (victim === null) {
        this.refused++;
        return false;
      }
      this.release(victim);
      this.evicted++;
      victim.evict();
    }
    this.held.push(newcomer);
    return true;
  }

  /** `startup` logged in, gave up or was closed: its slot is free. */
  release(startup: Startup): void {
    const i = this.held.indexOf(startup);
    if (i >= 0) this.held.splice(i, 1);
  }

  /** The oldest connection of the source holding the most, if it would still hold more than `source` after the swap. */
  private victim_for(source: number): Startup | null {
    const counts = new Map<number, number>();
    for (const s of this.held) counts.set(s.source, (counts.get(s.source) ?? 0) + 1);
    let top = -1;
    let top_count = 0;
    for (const [address, count] of counts) {
      if (count > top_count) {
        top = address;
        top_count = count;
      }
    }
    if (top_count <= (counts.get(source) ?? 0) + 1) return null;
    return this.held.find((s) => s.source === top) ?? null;
  }
}
