// The page's second terminal: a Telnet session to the guest on xterm.js.
import type { Terminal } from "@xterm/xterm";
import type { HostStack } from "../hostnet/host_stack";
import { ipv4_to_string } from "../../net/wire/address";
import { TelnetSession, TELNET_PORT } from "./telnet_session";

export class TelnetTerminal {
  readonly session: TelnetSession;

  constructor(term: Terminal, stack: HostStack, guest: number) {
    this.session = new TelnetSession(stack, guest, {
      on_connecting: () => term.write(`connecting to ${ipv4_to_string(guest)}:${TELNET_PORT}…\r\n`),
      on_text: (text) => term.write(text),
      on_closed: (reason) => term.write(`\r\n[${reason}]\r\n`),
    });
    term.onData((data) => this.session.send(data));
  }
}
