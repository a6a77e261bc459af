// telnetd's settings, from the kernel command line:
//   telnet_password=SECRET      root's password (else the development default)
//   telnet_max_sessions=N       logged-in sessions at once (default 32)
//   telnet_max_startups=N       connections waiting to log in at once (default 32)
//   telnet_login_timeout=SECS   how long a connection may take to log in (default 20)
import { cmdline_param, cmdline_uint } from "../../lib/cmdline";
import { pr_warn } from "../../log";

/** The development default when the command line gives no telnet_password=. */
export const DEFAULT_TELNET_PASSWORD = "napkin";
export const DEFAULT_TELNET_MAX_SESSIONS = 32;
export const DEFAULT_TELNET_MAX_STARTUPS = 32;
export const DEFAULT_TELNET_LOGIN_TIMEOUT_S = 20;

/** How telnetd runs. */
export interface TelnetdOptions {
  password: string;
  /** Logged-in sessions at once, over all namespaces. */
  max_sessions: number;
  /** Connections not logged in yet, at once, over all namespaces. */
  max_startups: number;
  login_timeout_s: number;
}

/** The options the command line sets, the defaults for the rest. */
export function telnetd_options(cmdline: string): TelnetdOptions {
  const password = cmdline_param(cmdline, "telnet_password");
  if (!password) pr_warn(`telnetd: no telnet_password= given, root's password is the default '${DEFAULT_TELNET_PASSWORD}'`);
  return {
    password: password || DEFAULT_TELNET_PASSWORD,
    max_sessions: cmdline_uint(cmdline, "telnet_max_sessions", DEFAULT_TELNET_MAX_SESSIONS),
    max_startups: Math.max(1, cmdline_uint(cmdline, "telnet_max_startups", DEFAULT_TELNET_MAX_STARTUPS)),
    login_timeout_s: Math.max(1, cmdline_uint(cmdline, "telnet_login_timeout", DEFAULT_TELNET_LOGIN_TIMEOUT_S)),
  };
}
