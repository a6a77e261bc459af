// The emulator's slices, for a producer that must take turns with them.
// v86 runs the guest in slices; in a browser each one is scheduled through
// a message from a worker of v86's, and a guest that halts waits for a
// timeout there. `kick()` is v86's next_tick(0): a slice as soon as the
// worker answers, replacing a pending timeout, so the guest sees at once
// what was just put on its wire. A kick also cancels the slice already on
// its way, so kicking again before that one has run would starve the guest:
// `ran_since_kick` says when the next kick is safe.
export interface V86Main {
  running: boolean;
  next_tick(delay_ms: number): void;
  do_tick(): void;
}

export class EmulatorSlices {
  private slices = 0;
  private slices_at_kick = -1;

  constructor(private readonly v86: V86Main) {
    const do_tick = v86.do_tick.bind(v86);
    v86.do_tick = () => {
      this.slices++;
      do_tick();
    };
  }

  /** Whether a slice ran since the last kick (or none will: the emulator is stopped). */
  get ran_since_kick(): boolean {
    return !this.v86.running || this.slices !== this.slices_at_kick;
  }

  kick(): void {
    this.slices_at_kick = this.slices;
    if (this.v86.running) this.v86.next_tick(0);
  }
}
