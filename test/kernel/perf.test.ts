import { strict as assert } from "assert";
import {
  set_tracing,
  trace_pop,
  trace_push,
  trace_setup,
  trace_stage,
  tracing,
  TRACE_CALIBRATE,
  TRACE_DRIVER_RX,
  TRACE_NAPI,
  TRACE_SOCKET,
  TRACE_STACK,
  TRACE_STAGE_NAMES,
  TRACE_WAKE,
} from "../../kernel/lib/trace";
import { format_report, js_label, ProfileTally, SymbolTable } from "../../kernel/services/shell/commands/perf";
import { PROMPT } from "../../kernel/services/shell/shell";
import { boot, type_line } from "./helpers";

const SYMBOLS = new SymbolTable({
  addresses: [0x100000, 0x100100, 0x100200, 0x100400],
  sizes: [0x100, 0x80, 0x40, 0x40],
  names: ["boot_main", "JS_CallInternal", "js_checksum", "cpu_idle_until"],
});

/** What the shell printed for a line, without the echo and the next prompt. */
async function run(sim: Parameters<typeof type_line>[0], line: string): Promise<string> {
  const out = await type_line(sim, line);
  return out
    .slice(0, out.lastIndexOf(PROMPT))
    .replace(/\r\n/g, "\n")
    .replace(line + "\n", "");
}

describe("kernel: perf", () => {
  afterEach(() => set_tracing(false));

  it("names an EIP by the symbol that holds it", () => {
    assert.equal(SYMBOLS.function_at(0x100000), "boot_main");
    assert.equal(SYMBOLS.function_at(0x1000ff), "boot_main");
    assert.equal(SYMBOLS.function_at(0x100100), "JS_CallInternal");
    assert.equal(SYMBOLS.function_at(0x10017f), "JS_CallInternal");
    assert.equal(SYMBOLS.function_at(0x100180), null, "past the function's end, before the next");
    assert.equal(SYMBOLS.function_at(0xfffff), null, "below the first");
    assert.equal(SYMBOLS.function_at(0x100440), null, "past the last");
    assert.equal(SYMBOLS.function_at(0x100200), "js_checksum");
    assert.equal(new SymbolTable({ addresses: [], sizes: [], names: [] }).function_at(0x100000), null);
  });

  it("counts samples by C function and by JS function or native, idle apart, and reports shares of the busy ones", () => {
    const tally = new ProfileTally(SYMBOLS);
    const functions = [
      { name: "net_rx_action", line: 290 },
      { name: "", line: 12 },
      { name: null, line: 7 },
    ];
    tally.add({
      eips: [0x100110, 0x100120, 0x100010, 0x100404, 0x100404, 0x200000],
      natives: [0, 0, 0, 0, 0, 0],
      js: [0, 0, 1, 0, -1, 2],
      functions,
      lost: 3,
    });
    tally.add({ eips: [0x100110, 0x100210], natives: [0, 0x100200], js: [0, 0], functions: [functions[0]], lost: 1 });
    assert.deepEqual([tally.busy, tally.idle, tally.lost], [6, 2, 4]);
    assert.deepEqual(Array.from(tally.c), [
      ["JS_CallInternal", 3],
      ["boot_main", 1],
      ["[unknown]", 1],
      ["js_checksum", 1],
    ]);
    assert.deepEqual(Array.from(tally.js), [
      ["net_rx_action (kernel.js:290)", 3],
      ["<anonymous> (kernel.js:12)", 1],
      ["[freed function]", 1],
      ["js_checksum [native]", 1],
    ]);
    const report = format_report("perf top", tally, 1, 1024);
    assert.equal(report[0], "perf top: 8 samples in 1.00 s at 1024 Hz: 6 busy, 2 idle (25%), 4 lost");
    assert.deepEqual(report.slice(2, 7), [
      "  % busy  C function (kernel image)",
      "  50.00%  JS_CallInternal",
      "  16.67%  [unknown]",
      "  16.67%  boot_main",
      "  16.67%  js_checksum",
    ]);
    assert.equal(report[report.indexOf("  % busy  JS function (kernel bundle) or native") + 1], "  50.00%  net_rx_action (kernel.js:290)");
    assert.equal(js_label("poll", 5), "poll (kernel.js:5)");
  });

  it("perf top SECONDS samples for that long, prints the hottest functions and stops the profiler", async () => {
    const { sim } = await boot();
    sim.symbols = { addresses: [0x100000], sizes: [0x1000], names: ["JS_CallInternal"] };
    const start = sim.now_us();
    for (let i = 1; i <= 4; i++) sim.at(start + i * 200_000, () => sim.profile_sample(0x100010, { name: "poll_napi", line: 42 }));
    sim.at(start + 900_000, () => sim.profile_sample(0x300000, null));
    const out = await run(sim, "perf top 1");
    assert.match(out, /^perf top: 5 samples in 1\.\d\d s at 128 Hz: 5 busy, 0 idle \(0%\), 0 lost$/m);
    assert.match(out, /^ {2}80\.00% {2}JS_CallInternal$/m);
    assert.match(out, /^ {2}80\.00% {2}poll_napi \(kernel\.js:42\)$/m);
    assert.match(out, /^ {2}20\.00% {2}\[no JS function\]$/m);
    assert.equal(sim.profile_hz, 0);
    assert.equal(await run(sim, "perf top soon"), "usage: perf top [SECONDS] | perf boot | perf trace [on|off]\n");
    assert.equal(await run(sim, "perf"), "usage: perf top [SECONDS] | perf boot | perf trace [on|off]\n");
  });

  it("perf boot shows the samples since power-on once, and only when booted with profile=boot", async () => {
    const { sim } = await boot();
    sim.symbols = { addresses: [0x100000, 0x101000], sizes: [0x1000, 0x100], names: ["JS_ReadObjectRec", "cpu_idle_until"] };
    assert.equal(await run(sim, "perf boot"), "napkin: perf: no boot profile: boot with profile=boot on the command line\n");
    sim.cmdline = "ip=10.0.2.15/24 profile=boot";
    assert.equal(await run(sim, "perf boot"), "napkin: perf: the boot profile was read already, or perf top took the profiler over\n");
    // As the runtime started it at power-on: samples from before the kernel ran, and after.
    sim.profile_hz = 1024;
    sim.profile_sample(0x100010, null);
    sim.profile_sample(0x100020, null);
    sim.profile_sample(0x100010, { name: "kernel_start", line: 31 });
    sim.profile_sample(0x101004, null);
    const out = await run(sim, "perf boot");
    assert.match(out, /^perf boot: 4 samples in [\d.]+ s at 1024 Hz: 3 busy, 1 idle \(25%\), 0 lost$/m);
    assert.match(out, /^ 100\.00% {2}JS_ReadObjectRec$/m);
    assert.match(out, /^ {2}66\.67% {2}\[no JS function\]$/m);
    assert.match(out, /^ {2}33\.33% {2}kernel_start \(kernel\.js:31\)$/m);
    assert.equal(sim.profile_hz, 0, "reading the boot's samples stops the profiler");
    assert.equal(await run(sim, "perf boot"), "napkin: perf: the boot profile was read already, or perf top took the profiler over\n");
    sim.profile_hz = 128; // perf top, in another session
    assert.equal(await run(sim, "perf boot"), "napkin: perf: perf top is sampling; the boot profile is gone\n");
    assert.equal(await run(sim, "perf boot now"), "usage: perf top [SECONDS] | perf boot | perf trace [on|off]\n");
  });

  it("perf top without a duration refreshes until Ctrl-C", async () => {
    const { sim } = await boot();
    const start = sim.now_us();
    sim.at(start + 1_000_000, () => sim.profile_sample(0x100010, null));
    sim.at(start + 5_000_000, () => sim.type("\x03"));
    const out = await run(sim, "perf top");
    assert.equal(out.match(/^perf top: /gm)?.length, 3, "a report every 2 s, and one for the last stretch");
    assert.equal(sim.now_us() - start, 5_000_000);
    assert.equal(sim.profile_hz, 0);
    assert.ok(!out.includes("^C"));
  });

  it("stage marks go out only while tracing, after calibration marks", async () => {
    const { sim } = await boot();
    trace_stage(TRACE_DRIVER_RX);
    assert.deepEqual(sim.trace_marks, []);
    set_tracing(true);
    trace_stage(TRACE_DRIVER_RX);
    assert.deepEqual(sim.trace_marks, [...new Array(16).fill(TRACE_CALIBRATE), TRACE_DRIVER_RX]);
    set_tracing(false);
    trace_stage(TRACE_DRIVER_RX);
    assert.equal(sim.trace_marks.length, 17);
    assert.equal(TRACE_STAGE_NAMES[TRACE_DRIVER_RX], "driver rx");
  });

  it("a pushed stage marks its caller's stage again when it pops", async () => {
    const { sim } = await boot();
    set_tracing(true);
    sim.trace_marks.length = 0;
    trace_stage(TRACE_NAPI);
    trace_push(TRACE_STACK);
    trace_push(TRACE_DRIVER_RX);
    trace_pop();
    trace_push(TRACE_SOCKET);
    trace_pop();
    trace_pop();
    trace_stage(TRACE_WAKE);
    trace_push(TRACE_SOCKET);
    trace_pop();
    trace_pop(); // one pop too many (tracing came on inside a push): the stage stays
    assert.deepEqual(sim.trace_marks, [
      TRACE_NAPI,
      TRACE_STACK,
      TRACE_DRIVER_RX,
      TRACE_STACK,
      TRACE_SOCKET,
      TRACE_STACK,
      TRACE_NAPI,
      TRACE_WAKE,
      TRACE_SOCKET,
      TRACE_WAKE,
      TRACE_WAKE,
    ]);
  });

  it("perf trace switches the marks; perf_trace=on on the command line starts them", async () => {
    const { sim } = await boot();
    assert.equal(await run(sim, "perf trace"), "stage marks: off\n");
    assert.equal(await run(sim, "perf trace on"), "stage marks: on\n");
    assert.ok(tracing);
    assert.equal(await run(sim, "perf trace off"), "stage marks: off\n");
    assert.equal(await run(sim, "perf trace maybe"), "usage: perf top [SECONDS] | perf boot | perf trace [on|off]\n");
    trace_setup("ip=10.0.2.15/24 perf_trace=onward");
    assert.ok(!tracing);
    trace_setup("ip=10.0.2.15/24 perf_trace=on");
    assert.ok(tracing);
    assert.equal(sim.trace_marks.filter((m) => m === TRACE_CALIBRATE).length, 32);
  });
});
