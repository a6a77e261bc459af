// /proc/net/netstat: Linux's pairs of lines, a header of names and a line of
// values, for the reader's namespace. TcpExt has what its TCP counted (the
// listeners, SYN cookies, timeouts, and what memory or the socket cap
// refused), IpExt the datagrams dropped for overlapping fragments; napkin's
// Softnet pair has what the receive path survived: polls that threw, and
// restarts of napi_handler and of the namespace's netns_poll.
import { TCP_EXT_NAMES } from "../../net/socket/tcp_ext";
import { softnet_data } from "./napi";
import { napi_handler_restarts } from "./napi_handler";
import type { NetNamespace } from "./netns";

function pair(prefix: string, names: string[], values: number[]): string {
  return `${prefix}: ${names.join(" ")}\n${prefix}: ${values.join(" ")}\n`;
}

/** The text of /proc/net/netstat as `ns` sees it. */
export function netstat_text(ns: NetNamespace): string {
  const mib = ns.sockets.tcp_ext;
  let overlaps = 0;
  for (const dev of ns.devices) overlaps += dev.iface.reassembly_overlaps;
  return (
    pair(
      "TcpExt",
      TCP_EXT_NAMES.map(([, name]) => name),
      TCP_EXT_NAMES.map(([field]) => mib[field]),
    ) +
    pair("IpExt", ["ReasmOverlaps"], [overlaps]) +
    pair(
      "Softnet",
      ["PollFaults", "NapiHandlerRestarts", "NetnsPollRestarts"],
      [softnet_data.stat.poll_faults, napi_handler_restarts(), ns.poll_restarts],
    )
  );
}
