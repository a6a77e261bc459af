// The client half of Telnet (RFC 854), as small as a terminal needs: it
// strips commands from what the server sends, answers option requests, and
// escapes what the user types. It agrees to the server echoing (ECHO) and to
// no go-aheads (SGA); every other option is refused.
const IAC = 255;
const DONT = 254;
const DO = 253;
const WONT = 252;
const WILL = 251;
const SB = 250;
const SE = 240;
const OPT_ECHO = 1;
const OPT_SGA = 3;
const CR = 0x0d;
const NUL = 0x00;

const enum State {
  Data,
  Iac, // saw IAC
  Verb, // saw IAC WILL/WONT/DO/DONT, the option comes next
  Sb, // inside IAC SB ... IAC SE, all discarded
  SbIac, // saw IAC inside a subnegotiation
}

export class TelnetClient {
  private state = State.Data;
  private verb = 0;

  /**
   * Splits bytes from the server into text for the screen and replies for
   * the server. Commands may straddle calls: the state carries over.
   */
  receive(bytes: Uint8Array): { text: Uint8Array; reply: Uint8Array } {
    const text: number[] = [];
    const reply: number[] = [];
    for (const byte of bytes) {
      switch (this.state) {
        case State.Data:
          if (byte === IAC) this.state = State.Iac;
          else text.push(byte);
          break;
        case State.Iac:
          if (byte === IAC) {
            text.push(IAC); // IAC IAC: a data byte 255
            this.state = State.Data;
          } else if (byte >= WILL && byte <= DONT) {
            this.verb = byte;
            this.state = State.Verb;
          } else {
            this.state = byte === SB ? State.Sb : State.Data; // NOP, GA, ...: nothing to show
          }
          break;
        case State.Verb:
          reply.push(...answer(this.verb, byte));
          this.state = State.Data;
          break;
        case State.Sb:
          if (byte === IAC) this.state = State.SbIac;
          break;
        case State.SbIac:
          this.state = byte === SE ? State.Data : State.Sb;
          break;
      }
    }
    return { text: Uint8Array.from(text), reply: Uint8Array.from(reply) };
  }
}

/** The reply to IAC verb option: accept the server's ECHO and SGA, refuse the rest. */
function answer(verb: number, option: number): number[] {
  const wanted = option === OPT_ECHO || option === OPT_SGA;
  switch (verb) {
    case WILL:
      return [IAC, wanted ? DO : DONT, option];
    case DO:
      return [IAC, option === OPT_SGA ? WILL : WONT, option];
    default:
      return []; // WONT/DONT need no answer: the option is off, as we want
  }
}

/** Keystrokes to Telnet bytes: 255 doubled, a bare CR sent as CR NUL (RFC 854). */
export function telnet_encode(keys: Uint8Array): Uint8Array {
  const out: number[] = [];
  for (const byte of keys) {
    out.push(byte);
    if (byte === IAC) out.push(IAC);
    else if (byte === CR) out.push(NUL);
  }
  return Uint8Array.from(out);
}
