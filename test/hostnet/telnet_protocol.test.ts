// The guest's Telnet filter (kernel/services/telnetd/protocol.ts), run under Node.
import { strict as assert } from "assert";
import {
  AYT,
  DO,
  DONT,
  EC,
  IAC,
  IP,
  OPT_ECHO,
  OPT_NAWS,
  OPT_SGA,
  SB,
  SE,
  TelnetReceiver,
  telnet_encode,
  WILL,
  WONT,
} from "../../kernel/services/telnetd/protocol";

/** Feed bytes (in one chunk, or one byte at a time) and return the data that came out. */
function feed(rx: TelnetReceiver, bytes: number[], bytewise = false): number[] {
  const out = new Uint8Array(bytes.length);
  if (!bytewise) return Array.from(out.subarray(0, rx.receive(Uint8Array.from(bytes), bytes.length, out)));
  const data: number[] = [];
  for (const byte of bytes) {
    const n = rx.receive(Uint8Array.of(byte), 1, out);
    data.push(...out.subarray(0, n));
  }
  return data;
}

const ascii = (text: string) => Array.from(text, (c) => c.charCodeAt(0));

function started(): TelnetReceiver {
  const rx = new TelnetReceiver();
  rx.start();
  rx.reply.length = 0;
  return rx;
}

describe("telnet protocol: negotiation", () => {
  it("opens with WILL ECHO, WILL SUPPRESS-GO-AHEAD and DO NAWS", () => {
    const rx = new TelnetReceiver();
    rx.start();
    assert.deepEqual(rx.reply, [IAC, WILL, OPT_ECHO, IAC, WILL, OPT_SGA, IAC, DO, OPT_NAWS]);
  });

  it("takes the client's agreement without answering it again", () => {
    const rx = started();
    feed(rx, [IAC, DO, OPT_ECHO, IAC, DO, OPT_SGA, IAC, WILL, OPT_NAWS]);
    assert.deepEqual(rx.reply, []);
    assert.ok(rx.enabled("us", OPT_ECHO) && rx.enabled("us", OPT_SGA) && rx.enabled("him", OPT_NAWS));
  });

  it("refuses options it does not support, both ways", () => {
    const rx = started();
    feed(rx, [IAC, DO, 24 /* TERMINAL-TYPE */, IAC, WILL, 32 /* TERMINAL-SPEED */]);
    assert.deepEqual(rx.reply, [IAC, WONT, 24, IAC, DONT, 32]);
  });

  it("acknowledges switching an option off once, and ignores a repeat", () => {
    const rx = started();
    feed(rx, [IAC, DO, OPT_ECHO, IAC, DONT, OPT_ECHO, IAC, DONT, OPT_ECHO]);
    assert.deepEqual(rx.reply, [IAC, WONT, OPT_ECHO]);
    assert.ok(!rx.enabled("us", OPT_ECHO));
  });

  it("takes a refusal of its own request silently", () => {
    const rx = started();
    feed(rx, [IAC, WONT, OPT_NAWS]);
    assert.deepEqual(rx.reply, []);
    assert.ok(!rx.enabled("him", OPT_NAWS));
  });

  it("agrees to a supported option the client offers first", () => {
    const rx = new TelnetReceiver(); // no start(): nothing asked yet
    feed(rx, [IAC, DO, OPT_SGA]);
    assert.deepEqual(rx.reply, [IAC, WILL, OPT_SGA]);
  });

  it("reads the window size from NAWS, with IAC IAC inside the subnegotiation", () => {
    const rx = started();
    const data = feed(rx, [IAC, WILL, OPT_NAWS, IAC, SB, OPT_NAWS, 0, IAC, IAC, 0, 40, IAC, SE, ...ascii("ls")], true);
    assert.deepEqual([rx.columns, rx.rows], [255, 40]);
    assert.deepEqual(data, ascii("ls"));
  });

  it("ignores NAWS the client never agreed to", () => {
    const rx = started();
    feed(rx, [IAC, SB, OPT_NAWS, 0, 80, 0, 24, IAC, SE]);
    assert.equal(rx.columns, 0);
  });
});

describe("telnet protocol: data", () => {
  it("passes plain text through untouched", () => {
    assert.deepEqual(feed(started(), ascii("echo hi")), ascii("echo hi"));
  });

  it("turns IAC IAC into one data byte 255", () => {
    assert.deepEqual(feed(started(), [0x41, IAC, IAC, 0x42]), [0x41, 255, 0x42]);
  });

  it("turns CR LF and CR NUL into a single CR, across chunk boundaries too", () => {
    for (const bytewise of [false, true]) {
      const data = feed(started(), [...ascii("a"), 13, 10, ...ascii("b"), 13, 0, ...ascii("c"), 13, 13, 10], bytewise);
      assert.deepEqual(data, [...ascii("a"), 13, ...ascii("b"), 13, ...ascii("c"), 13, 13]);
    }
  });

  it("turns IAC IP into Ctrl-C, and IAC EC into DEL", () => {
    assert.deepEqual(feed(started(), [...ascii("x"), IAC, EC, IAC, IP]), [...ascii("x"), 0x7f, 0x03]);
  });

  it("answers Are You There", () => {
    const rx = started();
    feed(rx, [IAC, AYT]);
    assert.match(String.fromCharCode(...rx.reply), /napkin: yes/);
  });

  it("encodes output with IAC doubled and a bare CR as CR NUL", () => {
    assert.deepEqual(Array.from(telnet_encode("a\xffb\r\nc\rd")), [
      ...ascii("a"),
      255,
      255,
      ...ascii("b"),
      13,
      10,
      ...ascii("c"),
      13,
      0,
      ...ascii("d"),
    ]);
  });
});
