// tools/bench cost [ping|tcp-rx|tcp-tx|syn-cookie|syn-screened|kernel-ping|kernel-ping-ne2k|kernel-ping-virtio|kernel-tcp-rx]...: the exact
// instructions a packet costs in the guest's engine: each scenario
// (tools/benches/cost/) runs in the host's build of the same QuickJS, with
// the same patches, code generation and native helpers (`qjsbc --run`),
// under valgrind's callgrind, for two numbers of rounds; the difference per
// round is the cost of one. Unlike the guest's figures (tools/bench profile),
// it is the same on every run: a change to the stack can be judged by a few
// hundred instructions. All but the kernel-* ones run the stack alone, as
// the NAPI poll calls it; kernel-ping runs the whole kernel on the simulated
// machine of the kernel's tests (IRQ, softirq, NAPI, stack, idle loop), with
// a fake NIC. The simulated machine's calls are JS where the guest's are
// natives. kernel-ping-ne2k has the real NE2000 driver, against the driver
// tests' fake card, and kernel-ping-virtio the real virtio-net driver against
// their fake device: the fake's JS and the simulated port I/O are much of
// each figure, so each is for comparing with itself, and `--ops` shows the
// driver's own lines exactly.
//
// tools/bench cost --ops SCENARIO: where a round's bytecode goes instead.
// The scenario runs in qjsbc-ops, the same QuickJS counting each bytecode
// instruction it runs (boot/quickjs-patches/op-counts.patch); the difference
// per round, by source line of the bundle and by opcode, is printed. In the
// guest's interpreter a call costs about 220 instructions, a property access
// about 40 and most other opcodes about 20: this shows which lines pay them.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { buildSync } from "esbuild";
import { TCP_RX_BURST, UDP_RX_BURST } from "./cost/scenario";

const ROOT = path.join(__dirname, "..", "..");
const QJSBC = path.join(ROOT, "build", "host", "qjsbc");
const QJSBC_OPS = path.join(ROOT, "build", "host", "qjsbc-ops");
/** The two numbers of rounds: their difference is what is measured (MAX_ROUNDS in cost/scenario.ts is the larger). */
const FEW = 100;
const MANY = 300;

interface Scenario {
  file: string;
  what: string;
  /** Packets one round takes in. */
  packets: number;
  /** What a packet is, for the figure per packet. */
  unit: string;
}

const SCENARIOS: Record<string, Scenario> = {
  ping: { file: "ping.ts", what: "an ICMP echo request in, the reply out", packets: 1, unit: "ping" },
  "tcp-rx": {
    file: "tcp_rx.ts",
    what: `${TCP_RX_BURST} full segments of a stream in (GRO), the ACK out, the reader drains them`,
    packets: TCP_RX_BURST,
    unit: "frame",
  },
  "tcp-tx": {
    file: "tcp_tx.ts",
    what: `${TCP_RX_BURST} full segments of a stream out (GSO), the peer's ACK for them in`,
    packets: TCP_RX_BURST,
    unit: "frame",
  },
  "udp-rx": {
    file: "udp_rx.ts",
    what: `${UDP_RX_BURST} small datagrams in to a bound socket (the flood's), the reader takes each`,
    packets: UDP_RX_BURST,
    unit: "datagram",
  },
  "syn-cookie": {
    file: "syn_cookie.ts",
    what: "a spoofed SYN answered with a cookie (the SYN flood's fast path)",
    packets: 1,
    unit: "SYN",
  },
  "syn-screened": {
    file: "syn_screened.ts",
    what: "a spoofed SYN dropped by the SYN screen (most of a flood's)",
    packets: 1,
    unit: "SYN",
  },
  "kernel-ping": {
    file: "kernel_ping.ts",
    what: "the same ping through the whole kernel on the simulated machine: IRQ, softirq, NAPI, stack, idle",
    packets: 1,
    unit: "ping",
  },
  "kernel-udp-rx": {
    file: "kernel_udp_rx.ts",
    what: "a small datagram through the whole kernel on the simulated machine, taken by inetd's discard service (its wake-up, read and sleep)",
    packets: 1,
    unit: "datagram",
  },
  "kernel-ping-ne2k": {
    file: "kernel_ping_ne2k.ts",
    what: "the same through the real NE2000 driver and the driver tests' fake card (its JS, and the simulated port I/O, counted too)",
    packets: 1,
    unit: "ping",
  },
  "kernel-ping-virtio": {
    file: "kernel_ping_virtio.ts",
    what: "the same through the real virtio-net driver and the driver tests' fake device (its JS, and the simulated port I/O, counted too)",
    packets: 1,
    unit: "ping",
  },
  "kernel-tcp-rx": {
    file: "kernel_tcp_rx.ts",
    what: `the same burst through the whole kernel on the simulated machine, read by inetd's discard service`,
    packets: TCP_RX_BURST,
    unit: "frame",
  },
};

/** The scenario in one script, as qjsbc --run takes it. */
function bundle_of(scenario: Scenario): string {
  return buildSync({
    entryPoints: [path.join(__dirname, "cost", scenario.file)],
    bundle: true,
    format: "esm",
    target: "es2020",
    platform: "neutral",
    write: false,
    logLevel: "warning",
  }).outputFiles[0].text;
}

/** The bundle with the number of rounds in front: its lines are the bundle's, one further down. */
function script_for(bundle: string, rounds: number, dir: string): string {
  const script = path.join(dir, `${rounds}.js`);
  writeFileSync(script, `globalThis.ROUNDS = ${rounds};\n${bundle}`);
  return script;
}

/** Instructions the script takes with `rounds` rounds, and what it printed. */
function run(bundle: string, rounds: number, dir: string): { instructions: number; said: string } {
  const script = script_for(bundle, rounds, dir);
  const result = spawnSync("valgrind", ["--tool=callgrind", "--callgrind-out-file=/dev/null", QJSBC, "--run", script], {
    encoding: "utf8",
  });
  if (result.status !== 0) throw new Error(`${script} failed under callgrind:\n${result.stdout}${result.stderr}`);
  const m = /Collected : (\d+)/.exec(result.stderr);
  if (!m) throw new Error(`callgrind gave no count for ${script}:\n${result.stderr}`);
  const said = result.stdout.trim();
  return { instructions: Number(m[1]), said };
}

/** Bytecode instructions run, by "line opcode", with `rounds` rounds. */
function count_ops(bundle: string, rounds: number, dir: string): Map<string, number> {
  const script = script_for(bundle, rounds, dir);
  const counts = path.join(dir, `${rounds}.ops`);
  const result = spawnSync(QJSBC_OPS, ["--run", script], { encoding: "utf8", env: { ...process.env, NAPKIN_OP_COUNTS: counts } });
  if (result.status !== 0) throw new Error(`${script} failed:\n${result.stdout}${result.stderr}`);
  const ops = new Map<string, number>();
  for (const line of readFileSync(counts, "utf8").split("\n")) {
    const [n, at, op] = line.split(" ");
    if (op === undefined) continue;
    const key = `${Number(at) - 1} ${op}`; // the bundle's line: the script has one more in front
    ops.set(key, (ops.get(key) ?? 0) + Number(n));
  }
  return ops;
}

/** A function or method of the bundle: its name and the line it is declared on. */
interface Enclosing {
  name: string;
  at: number;
}

/** The function or method each line of the bundle is in, as far as its declarations say. */
function enclosing_functions(lines: string[]): Enclosing[] {
  // A parameter list may hold one level of parentheses: a default such as `now_us = hal.now_us()`.
  const params = String.raw`\((?:[^()]|\([^()]*\))*\)`;
  const declaration = new RegExp(
    String.raw`^\s*(?:async\s+)?(?:static\s+)?(?:function\s+)?(?:get\s+|set\s+)?(?:this\.)?([A-Za-z_$][\w$]*)\s*(?:=\s*(?:async\s*)?${params}\s*=>|${params})\s*\{\s*$`,
  );
  const keywords = new Set(["if", "for", "while", "switch", "catch", "function"]);
  let current: Enclosing = { name: "(top level)", at: 0 };
  return lines.map((line, i) => {
    const m = declaration.exec(line);
    if (m && !keywords.has(m[1])) current = { name: m[1], at: i + 1 };
    return current;
  });
}

/** tools/bench cost --ops SCENARIO: a round's bytecode instructions by source line and by opcode. */
function op_counts(name: string): void {
  const scenario = SCENARIOS[name];
  if (!scenario) throw new Error(`usage: tools/bench cost --ops [${Object.keys(SCENARIOS).join("|")}]`);
  execFileSync("make", ["-s", "build/host/qjsbc-ops"], { cwd: ROOT, stdio: "inherit" });
  const dir = mkdtempSync(path.join(tmpdir(), "napkin-ops-"));
  const bundle = bundle_of(scenario);
  const few = count_ops(bundle, FEW, dir);
  const many = count_ops(bundle, MANY, dir);
  const by_line = new Map<number, number>();
  const by_op = new Map<string, number>();
  let total = 0;
  for (const [key, n] of many) {
    const per_round = (n - (few.get(key) ?? 0)) / (MANY - FEW);
    if (per_round <= 0) continue;
    const [at, op] = key.split(" ");
    by_line.set(Number(at), (by_line.get(Number(at)) ?? 0) + per_round);
    by_op.set(op, (by_op.get(op) ?? 0) + per_round);
    total += per_round;
  }
  const lines = bundle.split("\n");
  const functions = enclosing_functions(lines);
  const top = <K>(m: Map<K, number>, n: number) => [...m].sort((a, b) => b[1] - a[1]).slice(0, n);
  console.log(`${name}: ${total.toFixed(0)} bytecode instructions per round (${MANY} rounds less ${FEW})`);
  console.log("\nby line of the bundle (QuickJS counts an instruction on the line of the statement it belongs to):");
  for (const [at, n] of top(by_line, 40)) {
    const text = (lines[at - 1] ?? "").trim().slice(0, 80);
    console.log(`${n.toFixed(1).padStart(8)}  ${String(at).padStart(5)} ${(functions[at - 1]?.name ?? "").padEnd(24)} ${text}`);
  }
  // By declaration, not name: classes have methods of the same name (a driver's receive(), GRO's).
  const by_function = new Map<Enclosing, number>();
  for (const [at, n] of by_line) {
    const f = functions[at - 1];
    if (f) by_function.set(f, (by_function.get(f) ?? 0) + n);
  }
  console.log("\nby function (the declaration each line is under, and its line):");
  for (const [f, n] of top(by_function, 30)) console.log(`${n.toFixed(1).padStart(8)}  ${String(f.at).padStart(5)} ${f.name}`);
  console.log("\nby opcode:");
  for (const [op, n] of top(by_op, 20)) console.log(`${n.toFixed(1).padStart(8)}  ${op}`);
}

function main(): void {
  if (process.argv[2] === "--ops") {
    op_counts(process.argv[3]);
    return;
  }
  const names = process.argv.slice(2);
  for (const name of names) if (!(name in SCENARIOS)) throw new Error(`usage: tools/bench cost [${Object.keys(SCENARIOS).join("|")}]...`);
  if (spawnSync("valgrind", ["--version"]).status !== 0) throw new Error("tools/bench cost needs valgrind (apt-get install valgrind)");
  execFileSync("make", ["-s", "build/host/qjsbc"], { cwd: ROOT, stdio: "inherit" });
  const dir = mkdtempSync(path.join(tmpdir(), "napkin-cost-"));
  console.log(`instructions per round, in the guest's QuickJS built for the host (callgrind, ${MANY} rounds less ${FEW}):`);
  for (const name of names.length > 0 ? names : Object.keys(SCENARIOS)) {
    const scenario = SCENARIOS[name];
    const bundle = bundle_of(scenario);
    const few = run(bundle, FEW, dir);
    const many = run(bundle, MANY, dir);
    const per_round = (many.instructions - few.instructions) / (MANY - FEW);
    const per_packet = per_round / scenario.packets;
    console.log(
      `  ${name.padEnd(11)} ${(per_round / 1000).toFixed(1).padStart(7)}k` +
        (scenario.packets > 1 ? ` (${(per_packet / 1000).toFixed(1)}k per ${scenario.unit})` : "") +
        `  ${scenario.what}; the ${MANY}-round run: ${many.said}`,
    );
  }
}

main();
