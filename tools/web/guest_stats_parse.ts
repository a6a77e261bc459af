// Reads the figures the page wants out of napkin's shell commands: running
// totals (the sampler turns them into rates), IRQ lines' owners, a mode.

/**
 * `napi`: one row per NAPI instance (ID DEVICE STATE WEIGHT POLLS WORK
 * EXHAUSTED), then "budget ... rounds R, processed P, time_squeeze T".
 */
export function parse_napi(text: string): Map<string, number> {
  const totals = new Map<string, number>();
  let polls = 0;
  for (const line of text.split(/\r?\n/)) {
    const row = /^\s*\d+\s+\S+\s+\S+\s+\d+\s+(\d+)\s+\d+\s+\d+\s*$/.exec(line);
    if (row) polls += Number(row[1]);
    const summary = /processed (\d+), time_squeeze \d+/.exec(line);
    if (summary) totals.set("NAPI packets", Number(summary[1]));
  }
  totals.set("NAPI polls", polls);
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

/** `cat /proc/interrupts`: each line's handlers ("11: 1234 XT-PIC eth0" gives 11 -> "eth0"). */
export function parse_interrupts(text: string): Map<number, string> {
  const owners = new Map<number, string>();
  for (const line of text.split(/\r?\n/)) {
    const row = /^\s*(\d+):\s+\d+\s+\S+\s+(.+?)\s*$/.exec(line);
    if (row) owners.set(Number(row[1]), row[2]);
  }
  return owners;
}

/** `ip link show dev X`: its receive mode ("napi", "interrupt"), or null if the output has none. */
export function parse_link_mode(text: string): string | null {
  return /\smode (\S+)/.exec(text)?.[1] ?? null;
}
