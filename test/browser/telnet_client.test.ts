// The page's Telnet client filter, without a browser or a guest.
import assert from "assert";
import { TelnetClient, telnet_encode } from "../../tools/web/telnet_client";

const IAC = 255,
  DONT = 254,
  DO = 253,
  WONT = 252,
  WILL = 251,
  SB = 250,
  SE = 240;
const ECHO = 1,
  SGA = 3,
  NAWS = 31;

describe("web: Telnet client filter", () => {
  it("accepts the server's ECHO and SGA, refuses NAWS, and shows none of it", () => {
    const client = new TelnetClient();
    const { text, reply } = client.receive(Uint8Array.of(IAC, WILL, ECHO, IAC, WILL, SGA, IAC, DO, NAWS, 0x6c, 0x6f));
    assert.deepStrictEqual([...text], [0x6c, 0x6f]);
    assert.deepStrictEqual([...reply], [IAC, DO, ECHO, IAC, DO, SGA, IAC, WONT, NAWS]);
  });

  it("keeps its place when a command straddles two reads, and drops subnegotiations", () => {
    const client = new TelnetClient();
    assert.deepStrictEqual([...client.receive(Uint8Array.of(0x61, IAC)).text], [0x61]);
    const second = client.receive(Uint8Array.of(DO, SGA, IAC, SB, NAWS, 0, 80, IAC, SE, IAC, IAC, 0x62));
    assert.deepStrictEqual([...second.reply], [IAC, WILL, SGA]);
    assert.deepStrictEqual([...second.text], [IAC, 0x62]);
  });

  it("answers nothing to WONT and DONT", () => {
    assert.strictEqual(new TelnetClient().receive(Uint8Array.of(IAC, WONT, ECHO, IAC, DONT, NAWS)).reply.length, 0);
  });

  it("escapes 255 and sends a bare CR as CR NUL", () => {
    assert.deepStrictEqual([...telnet_encode(Uint8Array.of(0x6c, 0x0d, IAC))], [0x6c, 0x0d, 0x00, IAC, IAC]);
  });
});
