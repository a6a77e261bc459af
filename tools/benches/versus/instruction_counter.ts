// Guest instructions executed, from v86's instruction counter. The counter is
// a u32 that wraps every 2^32 instructions (seconds at v86's speed), so it is
// sampled often enough that it cannot wrap twice between two samples, and the
// differences are accumulated into a 53-bit total.

const SAMPLE_MS = 50;
const WRAP = 2 ** 32;

export class InstructionCounter {
  private last: number;
  private accumulated = 0;
  private readonly timer: ReturnType<typeof setInterval>;

  constructor(private readonly read_u32: () => number) {
    this.last = read_u32();
    this.accumulated = this.last; // counted since the emulator started
    this.timer = setInterval(() => this.sample(), SAMPLE_MS);
    this.timer.unref();
  }

  /** Instructions executed since the emulator started. */
  total(): number {
    this.sample();
    return this.accumulated;
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private sample(): void {
    const now = this.read_u32();
    this.accumulated += (now - this.last + WRAP) % WRAP;
    this.last = now;
  }
}
