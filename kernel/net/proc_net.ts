// /proc/net/softnet_stat, /proc/net/dev, /proc/net/snmp (its Udp lines),
// /proc/net/netstat (proc_netstat.ts) and /proc/net/netns_poll, in Linux's
// formats where Linux has them.
import { proc_create } from "../fs/procfs";
import { BacklogDevice } from "./backlog_device";
import { softnet_data } from "./napi";
import { current_netns, namespaces } from "./namespaces";
import { netstat_text } from "./proc_netstat";

const hex8 = (n: number) => (n >>> 0).toString(16).padStart(8, "0");

/** Frames waiting in the backlogs of the software devices (lo, veth), in every namespace. */
function backlog_length(): number {
  let frames = 0;
  for (const ns of namespaces) for (const dev of ns.devices) if (dev instanceof BacklogDevice) frames += dev.backlog.len();
  return frames;
}

/**
 * One line per CPU (napkin has one). Linux's columns: processed, dropped,
 * time_squeeze, then six unused, cpu_collision, received_rps,
 * flow_limit_count, backlog length, cpu index.
 */
function softnet_stat(): string {
  const s = softnet_data.stat;
  const columns = [s.processed, s.dropped, s.time_squeeze, 0, 0, 0, 0, 0, 0, 0, 0, backlog_length(), 0];
  return columns.map(hex8).join(" ") + "\n";
}

function net_dev(): string {
  let out = "Inter-|   Receive                            |  Transmit\n";
  out += " face |bytes    packets errs drop fifo frame|bytes    packets errs drop fifo colls\n";
  for (const ns of namespaces) {
    for (const dev of ns.devices) {
      const s = dev.stats;
      out +=
        `${dev.name.padStart(6)}: ${[s.rx_bytes, s.rx_packets, s.rx_errors, s.rx_dropped, 0, 0].join(" ")} ` +
        `${[s.tx_bytes, s.tx_packets, s.tx_errors, s.tx_dropped, 0, 0].join(" ")}\n`;
    }
  }
  return out;
}

/** The UDP counters of the reader's namespace, summed over its devices, as Linux's /proc/net/snmp has them. */
function snmp(): string {
  let in_datagrams = 0,
    no_ports = 0,
    in_errors = 0,
    rcvbuf_errors = 0,
    out_datagrams = 0;
  for (const dev of current_netns().devices) {
    const s = dev.iface.stats;
    in_datagrams += s.udp_in_datagrams;
    no_ports += s.udp_no_ports;
    in_errors += s.udp_in_errors + s.udp_rcvbuf_errors; // Linux counts RcvbufErrors in InErrors too
    rcvbuf_errors += s.udp_rcvbuf_errors;
    out_datagrams += s.udp_out_datagrams;
  }
  return (
    "Udp: InDatagrams NoPorts InErrors OutDatagrams RcvbufErrors SndbufErrors InCsumErrors IgnoredMulti MemErrors\n" +
    `Udp: ${[in_datagrams, no_ports, in_errors, out_datagrams, rcvbuf_errors, 0, 0, 0, 0].join(" ")}\n`
  );
}

/** Per namespace: how late netns_poll woke for the deadline it chose, and wakeups that found nothing due. */
function netns_poll_stats(): string {
  let out = "namespace        wakeups  idle  late_p50_us  late_p99_us  late_max_us\n";
  for (const ns of namespaces) {
    const l = ns.lateness.summary();
    out +=
      `${ns.name.padEnd(16)} ${String(ns.wakeups).padStart(7)} ${String(ns.idle_wakeups).padStart(5)} ` +
      `${String(Math.round(l.p50_us)).padStart(12)} ${String(Math.round(l.p99_us)).padStart(12)} ${String(Math.round(l.max_us)).padStart(12)}\n`;
  }
  return out;
}

/**
 * /proc/net/stat/arp_cache, in Linux's columns, for the devices of the
 * reader's namespace together (Linux has a line per CPU; napkin has one
 * CPU). napkin counts entries, res_failed (stale entries dropped after
 * their host answered none of the unicast requests), unresolved_discards
 * and table_fulls (ARP requests not sent because MAX_RESOLVING addresses
 * were being resolved); the other columns read 0.
 */
function arp_cache_stats(): string {
  let entries = 0,
    res_failed = 0,
    unresolved_discards = 0,
    table_fulls = 0;
  for (const dev of current_netns().devices) {
    entries += dev.iface.arp_cache.size;
    res_failed += dev.iface.arp_cache.failed;
    unresolved_discards += dev.iface.unresolved_discards;
    table_fulls += dev.iface.arp_cache.resolving_full;
  }
  const columns = [entries, 0, 0, 0, 0, 0, res_failed, 0, 0, 0, 0, unresolved_discards, table_fulls];
  return (
    "entries  allocs   destroys hash_grows lookups  hits     res_failed rcv_probes_mcast rcv_probes_ucast periodic_gc_runs forced_gc_runs unresolved_discards table_fulls\n" +
    columns.map(hex8).join(" ") +
    "\n"
  );
}

/** Create the /proc/net files. */
export function proc_net_init(): void {
  proc_create("net/softnet_stat", softnet_stat);
  proc_create("net/dev", net_dev);
  proc_create("net/netns_poll", netns_poll_stats);
  proc_create("net/snmp", snmp);
  proc_create("net/stat/arp_cache", arp_cache_stats);
  proc_create("net/netstat", () => netstat_text(current_netns()));
}
