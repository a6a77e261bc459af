// What v86 and QEMU machines share as seen from the host: a serial line out
// and in, and one ending (an exit code, a reset, or a stop from outside).

export interface MachineExit {
  /** The byte the guest wrote to the exit port (0xF4), or null if stopped from outside. */
  code: number | null;
  /** The guest reset the machine (`reboot`): the owner boots a fresh one. */
  reboot?: boolean;
}

export abstract class Machine {
  private serial_listeners: ((byte: number) => void)[] = [];
  private exit_listeners: ((exit: MachineExit) => void)[] = [];
  protected exited: MachineExit | null = null;

  abstract serial_send(data: string | Uint8Array): void;
  abstract stop(): Promise<void>;

  on_serial(listener: (byte: number) => void): void {
    this.serial_listeners.push(listener);
  }

  on_exit(listener: (exit: MachineExit) => void): void {
    if (this.exited) listener(this.exited);
    else this.exit_listeners.push(listener);
  }

  /** Resolves when the machine ends (poweroff, a fault, a reset, or stop()). */
  wait_exit(): Promise<MachineExit> {
    return new Promise((resolve) => this.on_exit(resolve));
  }

  protected serial_byte(byte: number): void {
    for (const listener of this.serial_listeners) listener(byte);
  }

  /** Record the ending once and tell the listeners; false if it had already ended. */
  protected ended(exit: MachineExit): boolean {
    if (this.exited) return false;
    this.exited = exit;
    for (const listener of this.exit_listeners) listener(exit);
    return true;
  }
}
