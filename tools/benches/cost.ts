// tools/bench cost [ping|tcp-rx|tcp-tx|syn-cookie|kernel-ping|kernel-tcp-rx]...: the exact
// instructions a packet costs in the guest's engine: each scenario
// (tools/benches/cost/) runs in the host's build of the same QuickJS, with
// the same patches, code generation and native helpers (`qjsbc --run`),
// under valgrind's callgrind, for two numbers of rounds; the difference per
// round is the cost of one. Unlike the guest's figures (tools/bench profile),
// it is the same on every run: a change to the stack can be judged by a few
// hundred instructions. All but kernel-ping run the stack alone, as the NAPI
// poll calls it; kernel-ping runs the whole kernel on the simulated machine
// of the kernel's tests (IRQ, softirq, NAPI, stack, idle loop). No scenario
// has a real driver, and the simulated machine's calls are JS where the
// guest's are natives.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { buildSync } from "esbuild";
import { TCP_RX_BURST } from "./cost/scenario";

const ROOT = path.join(__dirname, "..", "..");
const QJSBC = path.join(ROOT, "build", "host", "qjsbc");
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
  "syn-cookie": {
    file: "syn_cookie.ts",
    what: "a spoofed SYN answered with a cookie (the SYN flood's fast path)",
    packets: 1,
    unit: "SYN",
  },
  "kernel-ping": {
    file: "kernel_ping.ts",
    what: "the same ping through the whole kernel on the simulated machine: IRQ, softirq, NAPI, stack, idle",
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

/** Instructions the script takes with `rounds` rounds, and what it printed. */
function run(bundle: string, rounds: number, dir: string): { instructions: number; said: string } {
  const script = path.join(dir, `${rounds}.js`);
  writeFileSync(script, `globalThis.ROUNDS = ${rounds};\n${bundle}`);
  const result = spawnSync("valgrind", ["--tool=callgrind", "--callgrind-out-file=/dev/null", QJSBC, "--run", script], {
    encoding: "utf8",
  });
  if (result.status !== 0) throw new Error(`${script} failed under callgrind:\n${result.stdout}${result.stderr}`);
  const m = /Collected : (\d+)/.exec(result.stderr);
  if (!m) throw new Error(`callgrind gave no count for ${script}:\n${result.stderr}`);
  const said = result.stdout.trim();
  return { instructions: Number(m[1]), said };
}

function main(): void {
  const names = process.argv.slice(2);
  for (const name of names) if (!(name in SCENARIOS)) throw new Error(`usage: tools/bench cost [${Object.keys(SCENARIOS).join("|")}]...`);
  if (spawnSync("valgrind", ["--version"]).status !== 0) throw new Error("tools/bench cost needs valgrind (apt-get install valgrind)");
  execFileSync("make", ["-s", "build/host/qjsbc"], { cwd: ROOT, stdio: "inherit" });
  const dir = mkdtempSync(path.join(tmpdir(), "napkin-cost-"));
  console.log(`instructions per round, in the guest's QuickJS built for the host (callgrind, ${MANY} rounds less ${FEW}):`);
  for (const name of names.length > 0 ? names : Object.keys(SCENARIOS)) {
    const scenario = SCENARIOS[name];
    const bundle = buildSync({
      entryPoints: [path.join(__dirname, "cost", scenario.file)],
      bundle: true,
      format: "esm",
      target: "es2020",
      platform: "neutral",
      write: false,
      logLevel: "warning",
    }).outputFiles[0].text;
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
