// telnetd's settings, from the kernel command line:
//   telnet_password=SECRET      root's password (else the development default)
//   telnet_max_sessions=N       logged-in sessions at once (default 32)
//   telnet_max_startups=N       connections waiting to log in at once (default 32)
//   telnet_login_timeout=SECS   how long a connection may take to log in (default 20)
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

function number_option(cmdline: string, name: string, fallback: number): number {
  const m = new RegExp(`(?:^|\\s)${name}=(\\d+)(?:\\s|$)`).exec(cmdline);
  return m ? Number(m[1]) : fallback;
}

/** The options the command line sets, the defaults for the rest. */
export function telnetd_options(cmdline: string): TelnetdOptions {
  const password = /(?:^|\s)telnet_password=(\S+)/.exec(cmdline);
  if (!password) pr_warn(`telnetd: no telnet_password= given, root's password is the default '${DEFAULT_TELNET_PASSWORD}'`);
  return {
    password: password ? password[1] : DEFAULT_TELNET_PASSWORD,
    max_sessions: number_option(cmdline, "telnet_max_sessions", DEFAULT_TELNET_MAX_SESSIONS),
    max_startups: Math.max(1, number_option(cmdline, "telnet_max_startups", DEFAULT_TELNET_MAX_STARTUPS)),
    login_timeout_s: Math.max(1, number_option(cmdline, "telnet_login_timeout", DEFAULT_TELNET_LOGIN_TIMEOUT_S)),
  };
}
