// `tcpdump -w -`: a classic pcap stream written to the terminal.
//
// A terminal is a text device and raw pcap bytes would not survive it: the
// tty turns every 0x0a into CR LF, the serial console sends characters above
// 0x7f as two bytes of UTF-8, and telnet without its BINARY option sends CR
// as CR NUL. So the stream goes out in base64 between two marker lines, as
// PEM does: ASCII passes every one of those paths unchanged. On the host,
// from a saved session (`telnet 127.0.0.1 2323 | tee session.log`):
//
//   tr -d '\r' < session.log | sed -n '/^-----BEGIN PCAP-----$/,/^-----END PCAP-----$/p' |
//     grep -E '^[A-Za-z0-9+/]+=*$' | base64 -d > capture.pcap
//
// (grep keeps only the base64 lines: on the serial console, kernel messages
// may come between them.)
//
// The lines carry whole groups of three bytes, so each frame's bytes go out
// as soon as it is captured (all but at most two, which wait for the next
// frame or the end marker).
import { NO_BYTES } from "../../../../../net/wire/bytes";
import { PcapWriter } from "../../../../../net/pcap";

/** The line before the base64 lines. */
export const PCAP_BEGIN = "-----BEGIN PCAP-----";
/** The line after them. */
export const PCAP_END = "-----END PCAP-----";
/** Bytes per full line: 76 characters, as MIME's base64. */
const LINE_BYTES = 57;
const PCAP_HEADER_LEN = 24;
const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/** Turns captured frames into the text lines of an armored pcap stream. */
export class PcapBase64Stream {
  /** Bytes not sent yet: fewer than three. */
  private carry: Uint8Array = NO_BYTES;

  constructor(private readonly snaplen: number) {}

  /** The begin marker and the pcap file header. */
  begin(): string {
    return `${PCAP_BEGIN}\n${this.lines(new PcapWriter(this.snaplen).bytes())}`;
  }

  /** A frame seen at `epoch_us`: `length` bytes on the wire, of which buffer[offset...] holds the first min(length, snaplen). */
  frame(epoch_us: number, buffer: Uint8Array, offset: number, length: number): string {
    const record = new PcapWriter(this.snaplen);
    record.add(epoch_us, buffer, offset, length);
    return this.lines(record.bytes().subarray(PCAP_HEADER_LEN));
  }

  /** The last bytes (padded) and the end marker. */
  end(): string {
    const last = this.carry.length > 0 ? `${base64(this.carry, 0, this.carry.length)}\n` : "";
    this.carry = NO_BYTES;
    return `${last}${PCAP_END}\n`;
  }

  /** Lines for `bytes` after the carry, keeping what does not fill a group of three. */
  private lines(bytes: Uint8Array): string {
    const all = new Uint8Array(this.carry.length + bytes.length);
    all.set(this.carry);
    all.set(bytes, this.carry.length);
    const whole = all.length - (all.length % 3);
    let text = "";
    for (let at = 0; at < whole; at += LINE_BYTES) text += `${base64(all, at, Math.min(whole, at + LINE_BYTES))}\n`;
    this.carry = all.slice(whole);
    return text;
  }
}

/** RFC 4648 base64 of bytes[start, end), padded with "=". */
function base64(bytes: Uint8Array, start: number, end: number): string {
  let text = "";
  for (let i = start; i < end; i += 3) {
    const left = end - i;
    const group = (bytes[i] << 16) | ((left > 1 ? bytes[i + 1] : 0) << 8) | (left > 2 ? bytes[i + 2] : 0);
    text += ALPHABET[group >> 18] + ALPHABET[(group >> 12) & 63];
    text += left > 1 ? ALPHABET[(group >> 6) & 63] : "=";
    text += left > 2 ? ALPHABET[group & 63] : "=";
  }
  return text;
}
