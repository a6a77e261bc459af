// Reading the guest's perf reports (perf top, perf boot) on the host.

/** One row of a report's table: a share of the busy samples, in %, and what it names. */
export interface PerfRow {
  share: number;
  name: string;
}

/** The "  12.34%  name" rows of the table under `heading`, in the order printed. */
export function perf_table(report: string, heading: string): PerfRow[] {
  const lines = report.split("\n");
  const rows: PerfRow[] = [];
  for (let i = lines.findIndex((line) => line.includes(heading)) + 1; i > 0 && i < lines.length; i++) {
    const m = lines[i].match(/^\s+(\d+\.\d\d)%\s{2}(.+)$/);
    if (!m) break;
    rows.push({ share: Number(m[1]), name: m[2] });
  }
  return rows;
}
