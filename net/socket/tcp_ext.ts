// The TCP counters of a namespace that Linux keeps in its TcpExt MIB
// (/proc/net/netstat), and a few for napkin's own limits beside them. The
// socket set of the namespace holds them; sockets and the interface count
// into them.

/** TcpExt counters: what the listeners, timers and limits of one namespace's TCP did. */
export class TcpExtStats {
  /** SYN-ACKs sent with a cookie instead of a half-open connection. */
  syncookies_sent = 0;
  /** ACKs whose cookie checked out: connections made from them. */
  syncookies_recv = 0;
  /** ACKs to a listener that sent cookies lately whose cookie did not check out. */
  syncookies_failed = 0;
  /** Retransmission timeouts (SYN-ACKs included). */
  timeouts = 0;
  /** Connections given up after their retransmissions (or SYN-ACKs) went unanswered. */
  abort_on_timeout = 0;
  /** SYNs or handshake ACKs a listener dropped because its accept queue was full. */
  listen_overflows = 0;
  /** Everything a listener dropped (overflows, full queues, refusals). */
  listen_drops = 0;
  /** SYNs answered with a cookie because the half-open queue was full. */
  req_q_full_do_cookies = 0;
  /** SYNs dropped because the half-open queue was full and cookies are off. */
  req_q_full_drop = 0;
  /** New connections (SYNs, cookie ACKs, connect, listen) refused because memory is short. */
  memory_refused = 0;
  /** New connections refused because the namespace holds its cap of TCP sockets. */
  socket_cap_refused = 0;
  /** Closed connections given up in FIN-WAIT-2 after fin_timeout_us (Linux's tcp_fin_timeout). */
  fin_wait2_timeouts = 0;
  /** Connections given up after too many zero-window probes with the window still shut. */
  abort_on_win_probe = 0;
  /** Closed connections reset at a retransmission timeout because memory was short. */
  abort_on_memory = 0;
  /** SYNs from a MAC no neighbour has, dropped while a SYN flood is screened (net/iface/syn_screen.ts). */
  syn_screened = 0;
}

/**
 * Each counter's name in /proc/net/netstat, in the order printed: Linux's
 * where it has the counter, napkin's (in its style) where it has not.
 */
export const TCP_EXT_NAMES: readonly [keyof TcpExtStats, string][] = [
  ["syncookies_sent", "SyncookiesSent"],
  ["syncookies_recv", "SyncookiesRecv"],
  ["syncookies_failed", "SyncookiesFailed"],
  ["timeouts", "TCPTimeouts"],
  ["abort_on_timeout", "TCPAbortOnTimeout"],
  ["listen_overflows", "ListenOverflows"],
  ["listen_drops", "ListenDrops"],
  ["req_q_full_do_cookies", "TCPReqQFullDoCookies"],
  ["req_q_full_drop", "TCPReqQFullDrop"],
  ["memory_refused", "TCPMemoryRefused"],
  ["socket_cap_refused", "TCPSocketCapRefused"],
  ["fin_wait2_timeouts", "TCPFinWait2Timeout"],
  ["abort_on_win_probe", "TCPAbortOnWinProbe"],
  ["abort_on_memory", "TCPAbortOnMemory"],
  ["syn_screened", "TCPSynScreened"],
];
