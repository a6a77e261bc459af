// The host end of the wire, paced: frames for the guest wait in a queue and
// at most `per_turn` of them go onto v86's bus per turn of the host's event
// loop, so the emulator runs between bursts as it would between a real NIC's
// arrivals. After each one the emulator is kicked: v86 runs in slices
// scheduled with setImmediate, or with a timeout while the guest halts; a new
// zero-delay slice replaces a pending timeout, so the guest sees the frame
// at once even if the NIC's interrupt is masked and nothing else would wake it.
import { V86Link } from "../../hostnet/v86_link";

export interface V86Main {
  running: boolean;
  next_tick(delay_ms: number): void;
}

export class PacedLink extends V86Link {
  /** Frames put on the wire towards the guest. */
  injected = 0;
  private readonly queue: Uint8Array[] = [];
  private draining = false;

  constructor(
    bus: ConstructorParameters<typeof V86Link>[0],
    mtu: number,
    private readonly v86: V86Main,
    public per_turn = 8,
  ) {
    super(bus, mtu);
  }

  get queued(): number {
    return this.queue.length;
  }

  override inject(frame: Uint8Array): void {
    this.queue.push(frame);
    if (!this.draining) {
      this.draining = true;
      setImmediate(() => this.drain());
    }
  }

  private drain(): void {
    for (let i = 0; i < this.per_turn && this.queue.length > 0; i++) {
      super.inject(this.queue.shift()!);
      this.injected++;
      this.kick();
    }
    if (this.queue.length > 0) setImmediate(() => this.drain());
    else this.draining = false;
  }

  private kick(): void {
    if (this.v86.running) this.v86.next_tick(0);
  }
}
