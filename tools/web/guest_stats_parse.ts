// Reads the figures the page wants out of napkin's shell commands: running
// totals (the sampler turns them into rates), IRQ lines' owners, a mode.

/** The names of NAPI's figures among the totals. */
export const NAPI_POLLS = "NAPI polls";
export const TIME_SQUEEZE = "time_squeeze";

/**
 * `napi`: one row per NAPI instance (ID DEVICE STATE WEIGHT POLLS WORK
 * EXHAUSTED GRO_MERGED; older guests lack the last), then "budget ...
 * rounds R, processed P, time_squeeze T".
 */
export function parse_napi(text: string): Map<string, number> {
  const totals = new Map<string, number>();
  let polls = 0;
  for (const line of text.split(/\r?\n/)) {
    const row = /^\s*\d+\s+\S+\s+\S+\s+\d+\s+(\d+)\s+\d+\s+\d+(?:\s+\d+)?\s*$/.exec(line);
    if (row) polls += Number(row[1]);
    const summary = /processed (\d+), time_squeeze \d+/.exec(line);
    if (summary) totals.set("NAPI packets", Number(summary[1]));
  }
  totals.set(NAPI_POLLS, polls);
  return totals;
}

/** `cat /proc/net/softnet_stat`: Linux's format, hex columns; the third is time_squeeze (NaN if absent). */
export function parse_softnet_time_squeeze(text: string): number {
  const row = text.split(/\r?\n/).find((line) => /^[0-9a-f]{8}( [0-9a-f]{8}){2,}\s*$/.test(line));
  return row ? parseInt(row.trim().split(/\s+/)[2], 16) : NaN;
}

/** `ps`: PID STAT TIME(s) SWITCHES WAKEUPS COMMAND; each thread's CPU time in ms. */
export function parse_ps(text: string): Map<string, number> {
  const totals = new Map<string, number>();
  for (const line of text.split(/\r?\n/)) {
    const row = /^\s*(\d+)\s+\S+\s+(\d+\.\d+)\s+\d+\s+\d+\s+(.+?)\s*$/.exec(line);
    if (row) totals.set(`${CPU_MS_PREFIX}${row[3]} (${row[1]})`, Math.round(Number(row[2]) * 1000));
  }
  return totals;
}

/** The names parse_ps gives threads' CPU times start with this. */
export const CPU_MS_PREFIX = "cpu ms ";

/** The name of one line's interrupt count as the guest keeps it, among the totals. */
export function guest_irq_line_name(line: number): string {
  return `guest IRQ ${line}`;
}

/**
 * `cat /proc/interrupts`: each line's count, as the guest took them, and its
 * handlers ("11: 1234 XT-PIC eth0" gives 1234 and 11 -> "eth0").
 */
export function parse_interrupts(text: string): { totals: Map<string, number>; owners: Map<number, string> } {
  const totals = new Map<string, number>();
  const owners = new Map<number, string>();
  for (const line of text.split(/\r?\n/)) {
    const row = /^\s*(\d+):\s+(\d+)\s+\S+(?:\s+(.+?))?\s*$/.exec(line);
    if (!row) continue;
    totals.set(guest_irq_line_name(Number(row[1])), Number(row[2]));
    if (row[3]) owners.set(Number(row[1]), row[3]);
  }
  return { totals, owners };
}

/** What `ip -s link show dev X` says of X: its receive mode, and running totals by name. */
export interface LinkFigures {
  /** "napi" or "interrupt"; null if the output has none (no such device). */
  mode: string | null;
  totals: Map<string, number>;
}

/** The totals parse_link reads: packets the device took in, and those the stack dropped after parsing them. */
export const RX_PACKETS = "rx packets";
export const STACK_DROPS = "stack drops";

/**
 * `ip -s link show dev X`: "mode M" on the first line; under "RX: bytes
 * packets ...", a line of numbers; "stack drops: N (reason n, ...)".
 */
export function parse_link(text: string): LinkFigures {
  const totals = new Map<string, number>();
  const rx = /RX: bytes\s+packets[^\n]*\n\s*\d+\s+(\d+)/.exec(text);
  if (rx) totals.set(RX_PACKETS, Number(rx[1]));
  const drops = /stack drops: (\d+)/.exec(text);
  if (drops) totals.set(STACK_DROPS, Number(drops[1]));
  return { mode: /\smode (\S+)/.exec(text)?.[1] ?? null, totals };
}
