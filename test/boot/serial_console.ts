// Talks to a booted napkin over its serial console the way a person would:
// wait for the prompt, type a command, read what it printed.
import type { Machine } from "../../tools/machine";
import { QemuOptions, QemuVm } from "../../tools/qemu";
import { Vm, VmOptions } from "../../tools/vm";

export const PROMPT = "napkin# ";
// A fault report counts once it is whole: a CPU exception's runs to "machine
// stopped", any other is its one line. (Output arrives a byte at a time, and a
// wait may look at it in the middle of a report.)
const FAULT_MARKERS = [/\*\*\* napkin: CPU exception[^]*?machine stopped/, /\*\*\* napkin: (?!CPU exception)[^\n]*\n/];

export class SerialConsole<M extends Machine = Vm> {
  output = "";
  private waiters: (() => void)[] = [];

  private constructor(readonly vm: M) {
    vm.on_serial((byte) => {
      this.output += String.fromCharCode(byte);
      for (const wake of this.waiters.splice(0)) wake();
    });
    vm.on_exit(() => {
      for (const wake of this.waiters.splice(0)) wake();
    });
  }

  /** Boot napkin in v86 and wait for the shell prompt. */
  static async boot(options: VmOptions = {}): Promise<SerialConsole<Vm>> {
    const console = new SerialConsole(await Vm.boot(options));
    await console.wait_for(PROMPT, 0, 60_000);
    return console;
  }

  /** Boot napkin in QEMU and wait for the shell prompt. */
  static async boot_qemu(options: QemuOptions): Promise<SerialConsole<QemuVm>> {
    const console = new SerialConsole(new QemuVm(options));
    await console.wait_for(PROMPT, 0, 60_000);
    return console;
  }

  /** A fault report in the output so far, if any. */
  fault(): string | null {
    for (const marker of FAULT_MARKERS) {
      const m = this.output.match(marker);
      if (m) return m[0];
    }
    return null;
  }

  /**
   * Waits until `pattern` appears in the output at or after `from`; returns
   * the index just past the match. A fault or an exit fails the wait with
   * the fault text, so a crash never looks like a timeout.
   */
  async wait_for(pattern: string | RegExp, from: number, timeout_ms = 20_000): Promise<number> {
    const deadline = Date.now() + timeout_ms;
    for (;;) {
      const rest = this.output.slice(from);
      const m =
        typeof pattern === "string" ? (rest.includes(pattern) ? { index: rest.indexOf(pattern), 0: pattern } : null) : rest.match(pattern);
      if (m && m.index !== undefined) return from + m.index + m[0].length;
      const fault = this.fault();
      if (fault) throw new Error(`napkin faulted:\n${fault}`);
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new Error(`timed out waiting for ${JSON.stringify(String(pattern))}; output ends with:\n${this.output.slice(-1500)}`);
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 250));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Types a command line and returns what it printed before the next prompt. */
  async run(command: string, timeout_ms = 20_000): Promise<string> {
    const start = this.output.length;
    this.vm.serial_send(command + "\r");
    // The line ends where the shell's echo of it does: a kernel message
    // printed meanwhile (a telnet session closing, say) is not its output.
    const echoed = await this.wait_for(command + "\r\n", start, timeout_ms);
    const end = await this.wait_for(PROMPT, echoed, timeout_ms);
    return this.output.slice(echoed, end - PROMPT.length).replace(/\r\n/g, "\n");
  }

  send(data: string | Uint8Array): void {
    this.vm.serial_send(data);
  }

  async close(): Promise<void> {
    await this.vm.stop();
  }
}
