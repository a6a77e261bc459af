// Reads the figures the panel wants out of napkin's shell commands, as
// running totals (the panel turns them into rates).

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
    const summary = /processed (\d+), time_squeeze (\d+)/.exec(line);
    if (summary) {
      totals.set("NAPI packets", Number(summary[1]));
      totals.set("time_squeeze", Number(summary[2]));
    }
  }
  totals.set("NAPI polls", polls);
  return totals;
}

/** `ps`: PID STAT TIME(s) SWITCHES WAKEUPS COMMAND; each thread's CPU time in ms. */
export function parse_ps(text: string): Map<string, number> {
  const totals = new Map<string, number>();
  for (const line of text.split(/\r?\n/)) {
    const row = /^\s*(\d+)\s+\S+\s+(\d+\.\d+)\s+\d+\s+\d+\s+(.+?)\s*$/.exec(line);
    if (row) totals.set(`  cpu ms ${row[3]} (${row[1]})`, Math.round(Number(row[2]) * 1000));
  }
  return totals;
}
