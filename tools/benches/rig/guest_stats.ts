// What the guest says about itself, read over the serial console: `mem`
// (JS heap, C heap, sockets per namespace), /proc/telnetd and its MAC. Kernel log
// lines may come between a command and its output, so each figure is found
// by its own pattern.
import { mac } from "../../../net/wire/address";
import type { SerialConsole } from "../../../test/boot/serial_console";

/** eth0's MAC address, from `ip link show`. */
export async function guest_mac(con: SerialConsole): Promise<number> {
  const m = /link\/ether ([0-9a-f:]{17})/.exec(await con.run("ip link show dev eth0"));
  if (!m) throw new Error("eth0 has no MAC address");
  return mac(m[1]);
}

/** One reading of `mem`. */
export interface MemSample {
  js_heap_kib: number;
  js_objects: number;
  c_heap_kib: number;
  /** TCP sockets per namespace, and per state over all namespaces. */
  tcp_by_ns: Map<string, number>;
  tcp_by_state: Map<string, number>;
  udp: number;
  icmp: number;
}

function figure(text: string, pattern: RegExp): number {
  const m = pattern.exec(text);
  if (!m) throw new Error(`no ${pattern} in:\n${text}`);
  return Number(m[1]);
}

/** Run `mem -g` and read it. */
export async function read_mem(con: SerialConsole, timeout_ms = 60_000): Promise<MemSample> {
  // -g: the cycle collector first, so a sample counts what is reachable, not what waits for the collector.
  const out = await con.run("mem -g", timeout_ms);
  const sample: MemSample = {
    js_heap_kib: figure(out, /^JS heap:\s+(\d+) KiB/m),
    js_objects: figure(out, /^JS heap:.* in (\d+) objects/m),
    c_heap_kib: figure(out, /^C heap:\s+(\d+) KiB used/m),
    tcp_by_ns: new Map(),
    tcp_by_state: new Map(),
    udp: 0,
    icmp: 0,
  };
  for (const m of out.matchAll(/^sockets:\s+(\S+): tcp (\d+)(?: \(([^)]*)\))?, udp (\d+), icmp (\d+)$/gm)) {
    sample.tcp_by_ns.set(m[1], Number(m[2]));
    for (const part of (m[3] ?? "").split(", ").filter(Boolean)) {
      const [state, n] = part.split(" ");
      sample.tcp_by_state.set(state, (sample.tcp_by_state.get(state) ?? 0) + Number(n));
    }
    sample.udp += Number(m[4]);
    sample.icmp += Number(m[5]);
  }
  return sample;
}

/** TCP sockets over all namespaces. */
export function tcp_total(sample: MemSample): number {
  let n = 0;
  for (const count of sample.tcp_by_ns.values()) n += count;
  return n;
}

/** "JS heap 1234 KiB, C heap 567 KiB, TCP 12 (Listen 8, Established 4), UDP 8" */
export function describe_mem(sample: MemSample): string {
  const states = Array.from(sample.tcp_by_state, ([state, n]) => `${state} ${n}`).join(", ");
  return (
    `JS heap ${sample.js_heap_kib} KiB (${sample.js_objects} objects), C heap ${sample.c_heap_kib} KiB, ` +
    `TCP ${tcp_total(sample)}${states ? ` (${states})` : ""}, UDP ${sample.udp}, ICMP ${sample.icmp}`
  );
}

/** /proc/telnetd's "Name: value" lines as numbers. */
export async function read_telnetd(con: SerialConsole, timeout_ms = 60_000): Promise<Record<string, number>> {
  const counters: Record<string, number> = {};
  for (const m of (await con.run("cat /proc/telnetd", timeout_ms)).matchAll(/^(\w+):\s+([\d.]+)$/gm)) counters[m[1]] = Number(m[2]);
  return counters;
}

/** /proc/net/netstat's TcpExt counters, by their names there. */
export async function read_tcp_ext(con: SerialConsole, timeout_ms = 60_000): Promise<Record<string, number>> {
  const [names, values] = [...(await con.run("cat /proc/net/netstat", timeout_ms)).matchAll(/^TcpExt:(.*)$/gm)].map((m) =>
    m[1].trim().split(/\s+/),
  );
  if (!names || !values) throw new Error("no TcpExt lines in /proc/net/netstat");
  return Object.fromEntries(names.map((name, i) => [name, Number(values[i])]));
}

/** The guest's uptime in seconds, from /proc/uptime. */
export async function read_uptime_s(con: SerialConsole, timeout_ms = 60_000): Promise<number> {
  const out = await con.run("cat /proc/uptime", timeout_ms);
  return figure(out, /^(\d+\.\d+) \d+\.\d+$/m);
}
