// Reads one command line from a tty with echo and simple editing: backspace
// and DEL, Ctrl-U (kill line), up/down history (ESC [ A / ESC [ B). Other
// control bytes, escape sequences and non-ASCII bytes are ignored. A line
// longer than MAX_LINE is thrown away whole, with an error at Enter.
import type { Tty } from "../../tty/tty";
import { History } from "./history";

export const MAX_LINE = 1024;

const BACKSPACE = 0x08;
const DEL = 0x7f;
const CTRL_U = 0x15;
const ESC = 0x1b;
const CR = 0x0d;
const LF = 0x0a;
const CSI_MAX_BYTES = 16;

const enum Escape {
  None,
  Started, // saw ESC
  Csi, // saw ESC [ or ESC O, awaiting the final byte
}

export class LineEditor {
  readonly history = new History();
  private line = new Uint8Array(MAX_LINE);
  private length = 0;
  private too_long = false;
  private escape = Escape.None;
  private csi_bytes = 0;
  private last_was_cr = false;
  /** Echo gathered while consuming a chunk of input, written in one go. */
  private echo = "";

  // Bytes read from the tty but not yet consumed (type-ahead).
  private input = new Uint8Array(256);
  private input_pos = 0;
  private input_end = 0;

  constructor(private readonly tty: Tty) {}

  /** The next line (without its end), or null if Ctrl-C cancelled it. */
  async read_line(): Promise<string | null> {
    for (;;) {
      while (this.input_pos < this.input_end) {
        const line = this.feed(this.input[this.input_pos++]);
        if (line !== null) {
          this.flush_echo();
          return line;
        }
      }
      this.flush_echo();
      this.input_pos = 0;
      this.input_end = await this.tty.read(this.input);
      if (this.input_end === 0) {
        this.tty.write("^C\n");
        this.reset();
        this.input_pos = this.input_end = 0;
        return null;
      }
    }
  }

  /** Consume one byte; returns the finished line at Enter. */
  private feed(byte: number): string | null {
    const after_cr = this.last_was_cr;
    this.last_was_cr = byte === CR;
    if (this.escape !== Escape.None) {
      this.feed_escape(byte);
      return null;
    }
    if (byte === CR || (byte === LF && !after_cr)) return this.enter();
    if (byte === ESC) this.escape = Escape.Started;
    else if (byte === BACKSPACE || byte === DEL) this.erase(1);
    else if (byte === CTRL_U) this.erase(this.length);
    else if (byte >= 0x20 && byte < 0x7f) this.insert(byte);
    return null;
  }

  private feed_escape(byte: number): void {
    if (this.escape === Escape.Started) {
      this.escape = byte === 0x5b /* [ */ || byte === 0x4f /* O */ ? Escape.Csi : Escape.None;
      this.csi_bytes = 0;
      return;
    }
    if (byte >= 0x40 && byte <= 0x7e) {
      this.escape = Escape.None;
      if (byte === 0x41 /* A */) this.replace(this.history.previous(this.text()));
      else if (byte === 0x42 /* B */) this.replace(this.history.next());
    } else if (++this.csi_bytes > CSI_MAX_BYTES || byte < 0x20) {
      this.escape = Escape.None; // not a sequence after all
    }
  }

  private insert(byte: number): void {
    if (this.too_long) return;
    if (this.length === MAX_LINE) {
      this.too_long = true;
      return;
    }
    this.line[this.length++] = byte;
    this.echo += String.fromCharCode(byte);
  }

  private erase(count: number): void {
    if (this.too_long) return;
    const n = Math.min(count, this.length);
    this.length -= n;
    if (n) this.echo += "\b \b".repeat(n);
  }

  private replace(text: string | null): void {
    if (text === null || this.too_long) return;
    this.erase(this.length);
    for (let i = 0; i < text.length; i++) this.line[i] = text.charCodeAt(i);
    this.length = text.length;
    this.echo += text;
  }

  private enter(): string {
    this.echo += "\n";
    if (this.too_long) {
      this.echo += `napkin: line too long (more than ${MAX_LINE} bytes), ignored\n`;
      this.reset();
      return "";
    }
    const line = this.text();
    this.history.add(line.trim());
    this.reset();
    return line;
  }

  private flush_echo(): void {
    if (this.echo !== "") this.tty.write(this.echo);
    this.echo = "";
  }

  private text(): string {
    let text = "";
    for (let i = 0; i < this.length; i++) text += String.fromCharCode(this.line[i]);
    return text;
  }

  private reset(): void {
    this.length = 0;
    this.too_long = false;
    this.escape = Escape.None;
  }
}
