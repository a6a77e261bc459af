// telnetd: the Telnet service (RFC 854) on TCP port 23. One kernel thread
// listens per namespace; each connection becomes a TelnetSession with its
// own pts and shell. The guard (guard.ts) caps the logged-in sessions and,
// apart from them, the connections still logging in, and budgets password
// guesses over all of them; /proc/telnetd shows its counters.
import { KERN_INFO, KERN_WARNING } from "../../log";
import { proc_create } from "../../fs/procfs";
import type { TcpStream } from "../../../net/socket/api";
import { tcp_server_start } from "../tcp_server";
import { ipv4_to_string } from "../../../net/wire/address";
import type { NetNamespace } from "../../net/netns";
import { TelnetdGuard } from "./guard";
import type { TelnetdOptions } from "./options";
import { telnetd_proc_text } from "./proc_telnetd";
import { free_pts_number, TelnetSession } from "./session";

export { telnetd_options } from "./options";

export const TELNET_PORT = 23;

/** Listen on port 23 of `ns`; each connection gets a session, within the guard's limits. */
export function telnetd_start(ns: NetNamespace, options: TelnetdOptions): void {
  const guard = new TelnetdGuard(options);
  proc_create("telnetd", () => telnetd_proc_text(guard));
  guard.log(
    KERN_INFO,
    `telnetd: listening on port ${TELNET_PORT} in ${ns.name}, at most ${options.max_sessions} sessions ` +
      `and ${options.max_startups} connections logging in (for ${options.login_timeout_s} s each)`,
  );
  tcp_server_start(ns, "telnetd", TELNET_PORT, 16, (stream) => {
    const max = options.max_sessions;
    if (guard.logged_in() >= max) {
      guard.refused_sessions_full++;
      refuse(guard, ns, stream, `all ${max} sessions are in use (telnet_max_sessions=${max})`);
      return;
    }
    const session = new TelnetSession(ns, stream, free_pts_number(), guard);
    if (guard.startups.admit(session)) session.start();
    else reset(guard, ns, stream);
  });
}

/**
 * Every pre-login slot is held and the newcomer's address already holds its
 * share of them: reset the connection. A reset costs the guest nothing
 * more, where a close would leave a socket in FIN-WAIT-2 for as long as the
 * peer does not answer, and in TIME-WAIT after.
 */
function reset(guard: TelnetdGuard, ns: NetNamespace, stream: TcpStream): void {
  const s = stream.socket;
  guard.log(
    KERN_WARNING,
    `telnetd: reset ${ipv4_to_string(s.remote_addr)}:${s.remote_port}: its address already holds its share of the ${guard.options.max_startups} pre-login slots`,
  );
  s.reap_when_closed = true;
  s.abort();
  ns.request_poll(s.remote_addr);
}

/** Over a limit: say so and close, without a thread (the stack sends the text, then FIN). */
function refuse(guard: TelnetdGuard, ns: NetNamespace, stream: TcpStream, why: string): void {
  const s = stream.socket;
  guard.log(KERN_WARNING, `telnetd: refused ${ipv4_to_string(s.remote_addr)}:${s.remote_port}: ${why}`);
  const text = `telnetd: ${why}; try again later.\r\n`;
  s.send_slice(Uint8Array.from(text, (c) => c.charCodeAt(0)));
  s.reap_when_closed = true;
  s.close();
  ns.request_poll();
}
