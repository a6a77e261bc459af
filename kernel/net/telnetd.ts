// telnetd: the Telnet service (RFC 854) on TCP port 23. One kernel thread
// listens per namespace; each connection becomes a TelnetSession with its
// own pts and shell, up to max_sessions at once (over all namespaces).
import { pr_info, pr_warn } from "../log";
import type { TcpStream } from "../../net/socket/api";
import { tcp_server_start } from "./tcp_server";
import { ipv4_to_string } from "../../net/wire/address";
import type { NetNamespace } from "./netns";
import { free_pts_number, telnet_sessions, TelnetSession } from "./telnet_session";

export const TELNET_PORT = 23;
export const DEFAULT_TELNET_MAX_SESSIONS = 32;

export interface TelnetdOptions {
  password: string;
  max_sessions: number;
}

export function telnetd_start(ns: NetNamespace, options: TelnetdOptions): void {
  pr_info(`telnetd: listening on port ${TELNET_PORT} in ${ns.name}, at most ${options.max_sessions} sessions`);
  tcp_server_start(ns, "telnetd", TELNET_PORT, 16, (stream) => {
    if (telnet_sessions.length >= options.max_sessions) refuse(ns, stream, options.max_sessions);
    else new TelnetSession(ns, stream, free_pts_number(), options.password).start();
  });
}

/** Over the limit: say so and close, without a thread (the stack sends the text, then FIN). */
function refuse(ns: NetNamespace, stream: TcpStream, max: number): void {
  const s = stream.socket;
  pr_warn(`telnetd: refused ${ipv4_to_string(s.remote_addr)}:${s.remote_port}: all ${max} sessions in use`);
  const text = `telnetd: all ${max} sessions are in use (telnet_max_sessions=${max}); try again later.\r\n`;
  s.send_slice(Uint8Array.from(text, (c) => c.charCodeAt(0)));
  s.reap_when_closed = true;
  s.close();
  ns.request_poll();
}
