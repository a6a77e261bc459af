// A guest's shell on its serial line, for any guest whose shell prints a
// known prompt: type a command, read what it printed before the next prompt.
// It answers cursor position queries as a terminal would, and removes
// escape sequences from what it returns.
import type { Machine } from "../../machine";
import { answer_position_query, strip_escapes } from "./terminal";

export class SerialShell {
  output = "";
  private waiters: (() => void)[] = [];

  constructor(
    readonly machine: Machine,
    readonly prompt: string,
  ) {
    machine.on_serial((byte) => {
      this.output += String.fromCharCode(byte);
      const answer = byte === 0x6e ? answer_position_query(this.output) : null; // 'n' ends the query
      if (answer) machine.serial_send(answer);
      for (const wake of this.waiters.splice(0)) wake();
    });
  }

  /** Index just past the first match of `pattern` at or after `from`. */
  async wait_for(pattern: string, from: number, timeout_ms: number): Promise<number> {
    const deadline = Date.now() + timeout_ms;
    for (;;) {
      const at = this.output.indexOf(pattern, from);
      if (at >= 0) return at + pattern.length;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${JSON.stringify(pattern)}; output ends with:\n${this.output.slice(-1500)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 250));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /**
   * After a command that timed out: wait until the shell has caught up, by
   * running a command whose output, followed by the prompt, cannot be the
   * late output of any earlier one.
   */
  async resync(timeout_ms = 120_000): Promise<void> {
    const marker = `resync-${Date.now()}`;
    const start = this.output.length;
    this.machine.serial_send(`echo ${marker}\r`);
    await this.wait_for(`${marker}\r\n${this.prompt}`, start, timeout_ms);
  }

  /** Types a command line; returns what it printed before the next prompt. */
  async run(command: string, timeout_ms = 60_000): Promise<string> {
    const start = this.output.length;
    this.machine.serial_send(command + "\r");
    const echoed = await this.wait_for("\n", start, timeout_ms);
    const end = await this.wait_for(this.prompt, echoed, timeout_ms);
    const text = this.output.slice(echoed, end - this.prompt.length).replace(/\r\n/g, "\n");
    return strip_escapes(text);
  }
}
