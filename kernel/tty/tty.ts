// A terminal: bytes come in from a transport (the serial driver, or a
// telnet session) through receive(), text goes out through the transport's
// write function. Ctrl-C is not queued: it flushes pending input, raises
// `interrupted`, wakes any reader, and signals the foreground thread (the
// one running a command), so a command blocked in a socket call stops too.
import { send_sig } from "../sched/signal";
import type { Thread } from "../sched/thread";
import { wait_event, wake_up, WaitQueue } from "../sched/waitqueue";

export const TTY_INPUT_BYTES = 4096;
const CTRL_C = 0x03;

export class Tty {
  readonly wq = new WaitQueue();
  /** Ctrl-C arrived and no one has taken it yet. */
  interrupted = false;
  /** The thread running the current command: Ctrl-C and hang-ups signal it. */
  foreground: Thread | null = null;
  /** Bytes dropped because the input queue was full. */
  overruns = 0;
  /** The line went away (a telnet peer closed): reads return 0, the shell ends. */
  hung_up = false;
  /**
   * How a session on this terminal ends (logout); null where there is no
   * session to end, as on the serial console.
   */
  on_logout: (() => void) | null = null;

  private input = new Uint8Array(TTY_INPUT_BYTES);
  private head = 0;
  private count = 0;

  constructor(
    readonly name: string,
    private readonly transmit: (text: string) => void,
  ) {}

  /** Output; "\n" becomes "\r\n" as a terminal needs. */
  write(text: string): void {
    this.transmit(text.indexOf("\n") < 0 ? text : text.replace(/\r?\n/g, "\r\n"));
  }

  /** Input from the transport. */
  receive(bytes: Uint8Array, length: number = bytes.length): void {
    for (let i = 0; i < length; i++) {
      const byte = bytes[i];
      if (byte === CTRL_C) {
        this.count = 0;
        this.interrupt();
      } else if (this.count === TTY_INPUT_BYTES) {
        this.overruns++;
      } else {
        this.input[(this.head + this.count) % TTY_INPUT_BYTES] = byte;
        this.count++;
      }
    }
    wake_up(this.wq);
  }

  /**
   * Wait for input and move up to dst.length bytes into dst. Returns the
   * count, or 0 if Ctrl-C came first (taking the interrupt).
   */
  async read(dst: Uint8Array): Promise<number> {
    await wait_event(this.wq, () => this.count > 0 || this.interrupted || this.hung_up);
    if (this.take_interrupt() || this.hung_up) return 0;
    const n = Math.min(dst.length, this.count);
    for (let i = 0; i < n; i++) dst[i] = this.input[(this.head + i) % TTY_INPUT_BYTES];
    this.head = (this.head + n) % TTY_INPUT_BYTES;
    this.count -= n;
    return n;
  }

  /** The carrier dropped (SIGHUP): interrupt whatever runs and wake every reader. */
  hangup(): void {
    this.hung_up = true;
    this.interrupt();
    wake_up(this.wq);
  }

  private interrupt(): void {
    this.interrupted = true;
    if (this.foreground !== null) send_sig(this.foreground);
  }

  /** Clear a pending Ctrl-C; returns whether there was one. */
  take_interrupt(): boolean {
    const was = this.interrupted;
    this.interrupted = false;
    return was;
  }
}
