// A minimal telnet client over a Node socket, for boot tests that log in to
// napkin's telnetd through a port forward the way a user's client would.
import { strict as assert } from "assert";
import net from "net";
import { PROMPT } from "./serial_console";

export const IAC = 255;
const DONT = 254,
  DO = 253,
  WONT = 252,
  WILL = 251,
  SB = 250,
  SE = 240;
const ECHO = 1,
  SGA = 3,
  NAWS = 31;

/** A minimal telnet client over a Node socket: it agrees to ECHO, SGA and NAWS and keeps the text. */
export class TelnetClient {
  text = "";
  /** Options the server asked about, as "WILL 1", "DO 31". */
  readonly negotiated: string[] = [];
  closed = false;
  private waiters: (() => void)[] = [];
  private iac: number[] = [];

  private constructor(readonly socket: net.Socket) {
    socket.on("data", (chunk: Buffer) => this.receive(chunk));
    socket.on("error", () => {});
    socket.on("close", () => {
      this.closed = true;
      this.wake();
    });
  }

  static connect(port: number): Promise<TelnetClient> {
    return new Promise((resolve, reject) => {
      const socket = net.connect(port, "127.0.0.1", () => resolve(new TelnetClient(socket)));
      socket.once("error", reject);
    });
  }

  private receive(chunk: Buffer): void {
    for (const byte of chunk) {
      if (this.iac.length === 0 && byte !== IAC) {
        if (byte !== 0) this.text += String.fromCharCode(byte);
        continue;
      }
      this.iac.push(byte);
      const [, verb, option] = this.iac;
      if (this.iac.length === 2 && verb === IAC) {
        this.text += "\xff";
        this.iac = [];
      } else if (this.iac.length === 2 && verb < SB) {
        this.iac = [];
      } else if (verb === SB) {
        if (byte === SE && this.iac[this.iac.length - 2] === IAC) this.iac = [];
      } else if (this.iac.length === 3) {
        this.negotiated.push(`${verb === WILL ? "WILL" : verb === WONT ? "WONT" : verb === DO ? "DO" : "DONT"} ${option}`);
        if (verb === WILL) this.socket.write(Uint8Array.of(IAC, option === ECHO || option === SGA ? DO : DONT, option));
        if (verb === DO && option === NAWS) this.socket.write(Uint8Array.of(IAC, WILL, NAWS, IAC, SB, NAWS, 0, 100, 0, 30, IAC, SE));
        else if (verb === DO) this.socket.write(Uint8Array.of(IAC, WONT, option));
        this.iac = [];
      }
    }
    this.wake();
  }

  private wake(): void {
    for (const wake of this.waiters.splice(0)) wake();
  }

  async wait_for(pattern: string | RegExp, from = 0, timeout_ms = 30_000): Promise<number> {
    const deadline = Date.now() + timeout_ms;
    for (;;) {
      const rest = this.text.slice(from);
      const m =
        typeof pattern === "string" ? (rest.includes(pattern) ? { index: rest.indexOf(pattern), 0: pattern } : null) : rest.match(pattern);
      if (m && m.index !== undefined) return from + m.index + m[0].length;
      if (this.closed || Date.now() > deadline) {
        throw new Error(
          `${this.closed ? "closed" : "timed out"} waiting for ${String(pattern)}; text ends with:\n${this.text.slice(-800)}`,
        );
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 250);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Type a line, ending it as RFC 854 says (CR LF). */
  send_line(line: string): void {
    this.socket.write(line + "\r\n");
  }

  async login(password: string): Promise<void> {
    await this.wait_for("login: ");
    this.send_line("root");
    await this.wait_for("Password: ");
    this.send_line(password);
    await this.wait_for(PROMPT);
  }

  /** Run a command; what it printed before the next prompt. */
  async run(command: string, timeout_ms = 60_000): Promise<string> {
    const start = this.text.length;
    this.send_line(command);
    const echoed = await this.wait_for("\n", start, timeout_ms);
    const end = await this.wait_for(PROMPT, echoed, timeout_ms);
    return this.text.slice(echoed, end - PROMPT.length).replace(/\r\n/g, "\n");
  }

  async wait_closed(timeout_ms = 30_000): Promise<void> {
    const deadline = Date.now() + timeout_ms;
    while (!this.closed && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    assert.ok(this.closed, "the server should have closed the connection");
  }
}
