// The guest's sampling profiler, paced by guest instructions instead of the
// host's clock, for the benches that read it (tools/bench profile, and
// tools/bench boot --profile).

/** v86's instruction counter is a wrapping u32: this keeps a running total, read often enough never to miss a wrap. */
export class InstructionClock {
  private last: number;
  private total = 0;
  private readonly timer: ReturnType<typeof setInterval>;

  constructor(private readonly emulator: { get_instruction_counter(): number }) {
    this.last = emulator.get_instruction_counter() >>> 0;
    this.timer = setInterval(() => this.now(), 10);
  }

  now(): number {
    const count = this.emulator.get_instruction_counter() >>> 0;
    this.total += (count - this.last) >>> 0;
    this.last = count;
    return this.total;
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

/**
 * v86's RTC follows the host's clock, so the guest profiler's samples would
 * weigh each stretch of guest code by the host time it took, which is mostly
 * the emulation of the devices it touched. Here its periodic interrupt comes
 * every `per_sample` guest instructions instead: the samples weigh code by
 * instructions, as the stage marks do. (v86 takes an interrupt only between
 * its runs of about 100k instructions, at the point its JIT left compiled
 * code; samples fall there.)
 */
export function pace_rtc_by_instructions(emulator: any, clock: InstructionClock, per_sample: number): void {
  const rtc = emulator.v86.cpu.devices.rtc;
  const timer = rtc.timer.bind(rtc);
  let next = 0;
  rtc.timer = (time: number): number => {
    const periodic = rtc.periodic_interrupt;
    if (periodic && clock.now() >= next) {
      next = clock.now() + per_sample;
      rtc.cmos_c |= 0xc0; // IRQF | PF, as v86's own periodic interrupt sets them
      rtc.cpu.device_raise_irq(8);
    }
    rtc.periodic_interrupt = false; // the rest of v86's timer: alarms and update interrupts
    const wait_ms = timer(time);
    rtc.periodic_interrupt = periodic;
    return wait_ms;
  };
}
