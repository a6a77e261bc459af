// napkin's patches to QuickJS (boot/quickjs-patches) change how the
// interpreter reads fields and typed arrays, calls natives and finds the
// opcode it runs, and how it loads bytecode. The language must not notice: quickjs_patches.js checks the paths each patch
// takes and the ones it leaves to the generic code, in the host build of the
// patched engine that compiles the kernel's bundle (`qjsbc --run`), after the
// same trip through bytecode as the kernel makes. One more patch only counts
// the instructions, in a second host build (qjsbc-ops), never the guest's.
import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";

const QJSBC = "build/host/qjsbc";

function run_script(script: string): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync(QJSBC, ["--run", script], { encoding: "utf8" });
  if (run.error) throw new Error(`${QJSBC}: ${run.error.message} (make builds it)`);
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** Run `source` in qjsbc-ops: what it printed, and each instruction that ran on `line` as [count, line, opcode]. */
function count_ops(source: string, line: number): { stdout: string; ops: string[][] } {
  const dir = mkdtempSync(join(tmpdir(), "qjsops-"));
  const script = join(dir, "script.js");
  writeFileSync(script, source);
  const counts = join(dir, "counts");
  const run = spawnSync("build/host/qjsbc-ops", ["--run", script], {
    encoding: "utf8",
    env: { ...process.env, NAPKIN_OP_COUNTS: counts },
  });
  assert.equal(run.status, 0, run.stderr);
  const ops = readFileSync(counts, "utf8")
    .split("\n")
    .map((entry) => entry.split(" "))
    .filter(([, at]) => at === String(line));
  return { stdout: run.stdout, ops };
}

describe("engine: napkin's QuickJS patches", () => {
  it("leave typed arrays, fields, accessors, proxies, length, calls and operators as the language has them", () => {
    const run = run_script("test/engine/quickjs_patches.js");
    assert.equal(run.status, 0, run.stderr);
    const m = run.stdout.match(/^ok (\d+)\n$/);
    assert.ok(m, run.stdout);
    assert.ok(Number(m[1]) >= 40, `every check ran: ${run.stdout}`);
  });

  it("the runner fails a script that throws, and says why", () => {
    const script = join(mkdtempSync(join(tmpdir(), "qjsrun-")), "throws.js");
    writeFileSync(script, 'const o = { a: 1 };\nif (o.a === 1) throw new Error("the check failed");\n');
    const run = run_script(script);
    assert.equal(run.status, 1);
    assert.match(run.stderr, /the check failed/);
  });

  it("counts each bytecode instruction on its line in qjsbc-ops (tools/bench cost --ops)", () => {
    const { stdout, ops: body } = count_ops("let s = 0;\nfor (let i = 0; i < 10; i++) {\n  s += i * 3;\n}\nprint(s);\n", 3);
    assert.equal(stdout, "135\n");
    assert.ok(body.length >= 4, `the loop body's instructions: ${JSON.stringify(body)}`);
    for (const [n, , op] of body) assert.equal(Number(n), 10, `${op} ran once per iteration`);
  });

  it("reads a local's, an argument's and a closure variable's field in one instruction, with a property cache (property-caches.patch)", () => {
    const source = [
      "const shared = { c: 3 };",
      "function sum(arg) {",
      "  const local = { b: 2 };",
      "  return arg.a + local.b + shared.c;",
      "}",
      "let s = 0;",
      "for (let i = 0; i < 10; i++) s += sum({ a: 1 });",
      "print(s);",
      "",
    ].join("\n");
    const { stdout, ops: counted } = count_ops(source, 4);
    assert.equal(stdout, "60\n");
    const ops = counted.map(([n, , op]) => `${op} ${n}`).sort();
    for (const fused of ["get_arg_field 10", "get_loc_field 10", "get_var_ref_field 10"])
      assert.ok(ops.includes(fused), `${fused}: ${ops}`);
    assert.ok(!ops.some((op) => op.startsWith("get_field ")), `no get_field is left: ${ops}`);
  });
});
