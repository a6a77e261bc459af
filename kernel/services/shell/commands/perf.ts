// perf: where the CPU's time goes. `perf top` samples the machine, as Linux's
// perf top and readprofile do: the runtime's profiler interrupt records the
// EIP (named here with the kernel's symbol table) and the JS function QuickJS
// was running. `perf boot` shows the same for the boot itself, when the
// kernel was booted with profile=boot (as Linux's profile= parameter starts
// readprofile's sampling at boot). `perf trace on|off` switches the stage
// marks that the host's `tools/bench profile` counts instructions between
// (kernel/lib/trace.ts).
import type { KernelSymbols, ProfileSamples } from "../../../hal/hal";
import { hal } from "../../../hal/current";
import { cmdline_param } from "../../../lib/cmdline";
import { set_tracing, tracing } from "../../../lib/trace";
import { wait_event_timeout } from "../../../sched/waitqueue";
import { register_command, ShellContext, UsageError } from "../command";

/**
 * The rate perf top asks for (the profiler's timer runs at the power of two
 * nearest it). Modest, because each sample costs a random delay of up to
 * 100k instructions in v86 (boot/profile.c).
 */
const SAMPLE_HZ = 128;
/** How often perf top reads the samples, within what the runtime's buffer holds. */
const READ_EVERY_US = 1_000_000;
/** How often perf top without a duration prints. */
const REFRESH_US = 2_000_000;
/** Rows per table: perf top's, refreshed on a screen, and perf boot's, read once. */
const TOP_ROWS = 12;
const BOOT_ROWS = 30;

/** Names EIPs with the kernel's symbol table. */
export class SymbolTable {
  constructor(private readonly symbols: KernelSymbols) {}

  /** The function that holds `eip`, or null if none does. */
  function_at(eip: number): string | null {
    const { addresses, sizes, names } = this.symbols;
    let lo = 0;
    let hi = addresses.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (addresses[mid] <= eip) lo = mid + 1;
      else hi = mid;
    }
    const i = lo - 1;
    return i >= 0 && eip < addresses[i] + sizes[i] ? names[i] : null;
  }
}

/** How a sampled JS function is shown. */
export function js_label(name: string | null, line: number): string {
  if (name === null) return "[freed function]";
  return `${name || "<anonymous>"} (kernel.js:${line})`;
}

/**
 * Where the runtime halts the CPU when no thread runs (boot/timer.c). Its
 * samples are idle time, which the emulator samples more densely than busy
 * time: they are counted apart, and the tables share out the busy samples.
 */
export const IDLE_FUNCTION = "cpu_idle_until";

/**
 * Samples counted by C function (the EIP) and by what QuickJS ran: a JS
 * function, or a native (a C function that JS called), over any number of reads.
 */
export class ProfileTally {
  /** Samples taken while the CPU worked. */
  busy = 0;
  idle = 0;
  lost = 0;
  readonly c = new Map<string, number>();
  readonly js = new Map<string, number>();

  constructor(private readonly symbols: SymbolTable) {}

  add(read: ProfileSamples): void {
    this.lost += read.lost;
    const labels = read.functions.map((f) => js_label(f.name, f.line));
    const named = new Map<number, string>(); // many samples share an EIP: name each once
    read.eips.forEach((eip, i) => {
      let c = named.get(eip);
      if (c === undefined) named.set(eip, (c = this.symbols.function_at(eip) ?? "[unknown]"));
      if (c === IDLE_FUNCTION) {
        this.idle++;
        return;
      }
      this.busy++;
      bump(this.c, c);
      const native = read.natives[i];
      if (native !== 0) bump(this.js, `${this.symbols.function_at(native) ?? "[unknown]"} [native]`);
      else bump(this.js, read.js[i] < 0 ? "[no JS function]" : labels[read.js[i]]);
    });
  }
}

function bump(counts: Map<string, number>, key: string): void {
  counts.set(key, (counts.get(key) ?? 0) + 1);
}

/** The `rows` largest counts, largest first, as "  12.34%  name" lines. */
export function top_lines(counts: Map<string, number>, total: number, rows: number): string[] {
  return Array.from(counts)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, rows)
    .map(([name, count]) => `${((100 * count) / total).toFixed(2).padStart(7)}%  ${name}`);
}

/** A report (perf top's, or perf boot's): a header, then the hottest C functions and the hottest JS functions, in % of the busy samples. */
export function format_report(title: string, tally: ProfileTally, seconds: number, hz: number, rows = TOP_ROWS): string[] {
  const total = tally.busy + tally.idle;
  const idle = total ? ((100 * tally.idle) / total).toFixed(0) : "0";
  const lines = [
    `${title}: ${total} samples in ${seconds.toFixed(2)} s at ${hz} Hz: ${tally.busy} busy, ${tally.idle} idle (${idle}%), ${tally.lost} lost`,
  ];
  if (tally.busy === 0) return lines;
  lines.push("", "  % busy  C function (kernel image)");
  lines.push(...top_lines(tally.c, tally.busy, rows));
  lines.push("", "  % busy  JS function (kernel bundle) or native");
  lines.push(...top_lines(tally.js, tally.busy, rows));
  return lines;
}

/** Sleep up to `us`, reading samples into `tally` as the buffer needs; false once Ctrl-C came. */
async function collect(ctx: ShellContext, tally: ProfileTally, us: number): Promise<boolean> {
  const tty = ctx.tty;
  const end = hal.now_us() + us;
  for (let left = us; left > 0 && !tty.interrupted; left = end - hal.now_us()) {
    await wait_event_timeout(tty.wq, () => tty.interrupted, Math.min(left, READ_EVERY_US));
    tally.add(hal.profile_read());
  }
  return !tty.interrupted;
}

async function perf_top(ctx: ShellContext, seconds: number | null): Promise<void> {
  const symbols = new SymbolTable(hal.kernel_symbols());
  const hz = hal.profile_start(SAMPLE_HZ);
  try {
    for (;;) {
      const tally = new ProfileTally(symbols);
      const start = hal.now_us();
      const finished = await collect(ctx, tally, seconds === null ? REFRESH_US : seconds * 1e6);
      for (const line of format_report("perf top", tally, (hal.now_us() - start) / 1e6, hz)) ctx.println(line);
      if (!finished || seconds !== null) break;
      ctx.println("");
    }
  } finally {
    hal.profile_stop();
  }
  ctx.tty.take_interrupt(); // Ctrl-C only ends the sampling; the report is the answer
}

/**
 * perf boot: the samples taken from power-on to now, which, read soon after
 * the prompt, are the boot's (the idle ones since are counted apart). Reading
 * them stops the profiler, so they can be read once; perf top, which starts
 * it afresh, drops them too.
 */
function perf_boot(ctx: ShellContext): void {
  const hz = hal.profile_rate();
  // profile=boot has the runtime start the profiler at power-on (boot/main.c).
  if (cmdline_param(hal.cmdline, "profile") !== "boot") throw new Error("no boot profile: boot with profile=boot on the command line");
  if (hz === 0) throw new Error("the boot profile was read already, or perf top took the profiler over");
  if (hz === SAMPLE_HZ) throw new Error("perf top is sampling; the boot profile is gone");
  const samples = hal.profile_read();
  hal.profile_stop(); // before naming them, which is not the boot's work
  const tally = new ProfileTally(new SymbolTable(hal.kernel_symbols()));
  tally.add(samples);
  for (const line of format_report("perf boot", tally, hal.now_us() / 1e6, hz, BOOT_ROWS)) ctx.println(line);
}

function perf_trace(ctx: ShellContext, setting: string | undefined): void {
  if (setting === "on" || setting === "off") set_tracing(setting === "on");
  else if (setting !== undefined) throw new UsageError();
  ctx.println(`stage marks: ${tracing ? "on" : "off"}`);
}

register_command({
  name: "perf",
  usage: "perf top [SECONDS] | perf boot | perf trace [on|off]",
  description: "sample where the CPU goes (C and JS functions), show where the boot's went, or switch the packet path's stage marks",
  async run(ctx) {
    const [, sub, arg, extra] = ctx.argv;
    if (extra !== undefined) throw new UsageError();
    if (sub === "trace") return perf_trace(ctx, arg);
    if (sub === "boot" && arg === undefined) return perf_boot(ctx);
    if (sub !== "top") throw new UsageError();
    const seconds = arg === undefined ? null : Number(arg);
    if (seconds !== null && !(seconds > 0 && seconds <= 3600)) throw new UsageError();
    await perf_top(ctx, seconds);
  },
});
