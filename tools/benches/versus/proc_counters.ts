// The counters both guests print in Linux's formats: /proc/net/dev,
// /proc/interrupts, /proc/net/softnet_stat and /proc/net/snmp, read with one
// `cat` of all four. A guest without /proc/net/snmp (napkin, until its UDP
// counters land) has null UDP counters; cat's complaint about it is ignored.

export const COUNTERS_COMMAND = "cat /proc/net/dev /proc/interrupts /proc/net/softnet_stat /proc/net/snmp";

export interface GuestCounters {
  rx_packets: number;
  rx_dropped: number;
  /** Interrupts on the NIC's line (named eth0, or virtio0 on Linux). */
  nic_irqs: number;
  /** softnet_stat's third column, summed over CPUs: NET_RX rounds that ran out of budget or time. */
  time_squeeze: number;
  /** Udp InDatagrams: datagrams a socket took (Linux counts them as the application reads). */
  udp_in_datagrams: number | null;
  udp_rcvbuf_errors: number | null;
}

const NIC_IRQ_NAME = /\b(eth0|virtio\d*(-input\.\d+)?)$/;

function net_dev(text: string, ifname: string): { rx_packets: number; rx_dropped: number } {
  const m = new RegExp(`^\\s*${ifname}:\\s*(\\d+)\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)`, "m").exec(text);
  if (!m) throw new Error(`no ${ifname} in /proc/net/dev:\n${text}`);
  return { rx_packets: Number(m[2]), rx_dropped: Number(m[4]) };
}

function nic_irqs(text: string): number {
  let sum = 0;
  for (const line of text.split("\n")) {
    const m = /^\s*\d+:\s+(\d+)\s.*?(\S+)\s*$/.exec(line);
    if (m && NIC_IRQ_NAME.test(m[2])) sum += Number(m[1]);
  }
  return sum;
}

function time_squeeze(text: string): number {
  let sum = 0;
  for (const line of text.split("\n")) {
    const words = line.trim().split(/\s+/);
    if (words.length >= 3 && words.every((w) => /^[0-9a-f]{8}$/.test(w))) sum += parseInt(words[2], 16);
  }
  return sum;
}

/** The named field of a /proc/net/snmp protocol ("Udp"), or null without one. */
export function snmp_field(text: string, protocol: string, field: string): number | null {
  const lines = text.split("\n").filter((line) => line.startsWith(`${protocol}: `));
  if (lines.length < 2) return null;
  const names = lines[0].trim().split(/\s+/);
  const values = lines[1].trim().split(/\s+/);
  const i = names.indexOf(field);
  return i > 0 ? Number(values[i]) : null;
}

export function parse_counters(text: string): GuestCounters {
  return {
    ...net_dev(text, "eth0"),
    nic_irqs: nic_irqs(text),
    time_squeeze: time_squeeze(text),
    udp_in_datagrams: snmp_field(text, "Udp", "InDatagrams"),
    udp_rcvbuf_errors: snmp_field(text, "Udp", "RcvbufErrors"),
  };
}
