// The Telnet protocol (RFC 854) as a byte-stream filter, free of sockets and
// threads so it runs the same under Node's tests and in the kernel.
//
// TelnetReceiver turns what the client sends into terminal input: commands
// (IAC ...) are taken out, option negotiation is answered, CR LF and CR NUL
// become a plain CR (the Enter key), and IAC IP becomes Ctrl-C. Data bytes
// are copied into the caller's buffer in one pass with a small switch per
// byte; the common case (plain text) takes the first branch only.
// telnet_encode() goes the other way: text to bytes with IAC doubled.

// RFC 854 "TELNET COMMAND STRUCTURE".
export const IAC = 255;
export const DONT = 254;
export const DO = 253;
export const WONT = 252;
export const WILL = 251;
export const SB = 250;
export const GA = 249;
export const EL = 248;
export const EC = 247;
export const AYT = 246;
export const AO = 245;
export const IP = 244;
export const BRK = 243;
export const DM = 242;
export const NOP = 241;
export const SE = 240;

// Options: ECHO (RFC 857), SUPPRESS-GO-AHEAD (RFC 858), NAWS (RFC 1073).
export const OPT_ECHO = 1;
export const OPT_SGA = 3;
export const OPT_NAWS = 31;

const CR = 0x0d;
const LF = 0x0a;
const NUL = 0x00;
const CTRL_C = 0x03;
const CTRL_U = 0x15;
const DEL = 0x7f;
/** Longest subnegotiation kept; NAWS needs 5 bytes (option + 4). */
const SB_MAX = 32;

const enum State {
  Data,
  Cr, // saw CR: a LF or NUL after it belongs to it (RFC 854 "NVT" end of line)
  Iac, // saw IAC
  Verb, // saw IAC WILL/WONT/DO/DONT, the option comes next
  Sb, // inside IAC SB ... collecting
  SbIac, // IAC inside a subnegotiation: IAC (escaped 255) or SE (end)
}

/** An option's state on one side, after RFC 1143 ("the Q method") without its queue bits. */
const enum Q {
  No,
  Yes,
  WantYes, // we asked for it and wait for the answer
}

/** The options this server performs itself (WILL) and asks the client to perform (DO). */
const WE_DO = [OPT_ECHO, OPT_SGA];
const THEY_DO = [OPT_NAWS];

export class TelnetReceiver {
  /** Negotiation replies and other bytes for the client, to send as they are. */
  reply: number[] = [];
  /** The client's window, from NAWS (0 until told); the line-at-a-time shell only keeps it. */
  columns = 0;
  rows = 0;

  private state = State.Data;
  private verb = 0;
  private readonly us = new Uint8Array(256); // our side of each option (WILL/WONT)
  private readonly him = new Uint8Array(256); // the client's side (DO/DONT)
  private readonly sb = new Uint8Array(SB_MAX);
  private sb_len = 0;

  /** What the server says first: WILL ECHO, WILL SUPPRESS-GO-AHEAD, DO NAWS. */
  start(): void {
    for (const option of WE_DO) this.ask(WILL, option, this.us);
    for (const option of THEY_DO) this.ask(DO, option, this.him);
  }

  /** Whether the option is in force on our side (WILL) or the client's (DO). */
  enabled(side: "us" | "him", option: number): boolean {
    return (side === "us" ? this.us : this.him)[option] === Q.Yes;
  }

  /**
   * Filter `length` bytes of `input` into `out` (which must hold `length`
   * bytes); returns how many data bytes it wrote. Replies collect in `reply`.
   */
  receive(input: Uint8Array, length: number, out: Uint8Array): number {
    let n = 0;
    let state = this.state;
    for (let i = 0; i < length; i++) {
      const byte = input[i];
      switch (state) {
        case State.Data:
          if (byte === IAC) state = State.Iac;
          else {
            out[n++] = byte;
            if (byte === CR) state = State.Cr;
          }
          break;
        case State.Cr:
          // CR LF is end of line and CR NUL a bare CR; both are Enter here.
          if (byte === IAC) state = State.Iac;
          else {
            state = State.Data;
            if (byte === CR) state = State.Cr;
            if (byte !== LF && byte !== NUL) out[n++] = byte;
          }
          break;
        case State.Iac:
          state = State.Data;
          if (byte === IAC)
            out[n++] = IAC; // IAC IAC: a data byte 255
          else if (byte >= WILL) {
            this.verb = byte;
            state = State.Verb;
          } else if (byte === SB) {
            this.sb_len = 0;
            state = State.Sb;
          } else if (byte === IP || byte === BRK) out[n++] = CTRL_C;
          else if (byte === EC) out[n++] = DEL;
          else if (byte === EL) out[n++] = CTRL_U;
          else if (byte === AYT) this.reply.push(...YES);
          // NOP, DM, GA, AO: nothing to do for a line-at-a-time shell.
          break;
        case State.Verb:
          this.negotiate(this.verb, byte);
          state = State.Data;
          break;
        case State.Sb:
          if (byte === IAC) state = State.SbIac;
          else this.sb_put(byte);
          break;
        case State.SbIac:
          if (byte === SE) {
            this.subnegotiation();
            state = State.Data;
          } else {
            this.sb_put(byte); // IAC IAC inside SB is a 255 (RFC 1073 needs this for a width of 255)
            state = State.Sb;
          }
          break;
      }
    }
    this.state = state;
    return n;
  }

  private sb_put(byte: number): void {
    if (this.sb_len < SB_MAX) this.sb[this.sb_len++] = byte;
  }

  /** RFC 1073: IAC SB NAWS WIDTH[1] WIDTH[0] HEIGHT[1] HEIGHT[0] IAC SE. */
  private subnegotiation(): void {
    const sb = this.sb;
    if (sb[0] !== OPT_NAWS || this.sb_len !== 5 || this.him[OPT_NAWS] !== Q.Yes) return;
    this.columns = (sb[1] << 8) | sb[2];
    this.rows = (sb[3] << 8) | sb[4];
  }

  /**
   * RFC 854 "GENERAL CONSIDERATIONS" and RFC 1143: agree to what we support,
   * refuse the rest, and never answer a message that confirms the state we
   * are already in (that is what stops negotiation loops).
   */
  private negotiate(verb: number, option: number): void {
    if (verb === DO || verb === DONT) this.side(verb === DO, option, this.us, WE_DO, WILL, WONT);
    else this.side(verb === WILL, option, this.him, THEY_DO, DO, DONT);
  }

  private side(wanted: boolean, option: number, q: Uint8Array, supported: number[], yes: number, no: number): void {
    const state = q[option];
    if (wanted) {
      if (state === Q.Yes) return;
      if (state === Q.WantYes)
        q[option] = Q.Yes; // the answer to our request
      else if (supported.indexOf(option) >= 0) {
        q[option] = Q.Yes;
        this.send(yes, option);
      } else this.send(no, option); // refused: the state stays No
    } else {
      if (state === Q.No) return;
      q[option] = Q.No;
      if (state === Q.Yes) this.send(no, option); // it was on: acknowledge the switch-off
      // WantYes: the peer refused our request; nothing to answer.
    }
  }

  private ask(verb: number, option: number, q: Uint8Array): void {
    q[option] = Q.WantYes;
    this.send(verb, option);
  }

  private send(verb: number, option: number): void {
    this.reply.push(IAC, verb, option);
  }
}

/** The answer to AYT ("Are You There"). */
const YES = Array.from("\r\n[napkin: yes]\r\n", (c) => c.charCodeAt(0));

/**
 * Text to Telnet bytes: each character's low 8 bits (the console's 8-bit
 * convention), IAC doubled, and a CR not followed by LF sent as CR NUL.
 */
export function telnet_encode(text: string): Uint8Array {
  let extra = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i) & 0xff;
    if (c === IAC || (c === CR && text.charCodeAt(i + 1) !== LF)) extra++;
  }
  const out = new Uint8Array(text.length + extra);
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i) & 0xff;
    out[n++] = c;
    if (c === IAC) out[n++] = IAC;
    else if (c === CR && text.charCodeAt(i + 1) !== LF) out[n++] = NUL;
  }
  return out;
}
