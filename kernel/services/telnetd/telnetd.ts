// telnetd: the Telnet service (RFC 854) on TCP port 23. One kernel thread
// listens per namespace; each connection becomes a TelnetSession with its
// own pts and shell, up to max_sessions at once (over all namespaces).
import { pr_info, pr_warn } from "../../log";
import type { TcpStream } from "../../../net/socket/api";
import { tcp_server_start } from "../tcp_server";
import { ipv4_to_string } from "../../../net/wire/address";
import type { NetNamespace } from "../../net/netns";
import { DEFAULT_TELNET_PASSWORD } from "./login";
import { free_pts_number, TelnetSession } from "./session";
import { utmp } from "../utmp";

export const TELNET_PORT = 23;
export const DEFAULT_TELNET_MAX_SESSIONS = 32;

/** How telnetd runs: root's password and the most sessions at once. */
export interface TelnetdOptions {
  password: string;
  max_sessions: number;
}

/**
 * telnet_password=SECRET (else the development default, "napkin") and
 * telnet_max_sessions=N on the kernel command line.
 */
export function telnetd_options(cmdline: string): TelnetdOptions {
  const password = /(?:^|\s)telnet_password=(\S+)/.exec(cmdline);
  const max = /(?:^|\s)telnet_max_sessions=(\d+)(?:\s|$)/.exec(cmdline);
  if (!password) pr_warn(`telnetd: no telnet_password= given, root's password is the default '${DEFAULT_TELNET_PASSWORD}'`);
  return {
    password: password ? password[1] : DEFAULT_TELNET_PASSWORD,
    max_sessions: max ? Number(max[1]) : DEFAULT_TELNET_MAX_SESSIONS,
  };
}

/** Listen on port 23 of `ns`; each connection gets a session, up to the limit. */
export function telnetd_start(ns: NetNamespace, options: TelnetdOptions): void {
  pr_info(`telnetd: listening on port ${TELNET_PORT} in ${ns.name}, at most ${options.max_sessions} sessions`);
  tcp_server_start(ns, "telnetd", TELNET_PORT, 16, (stream) => {
    if (utmp.length >= options.max_sessions) refuse(ns, stream, options.max_sessions);
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
