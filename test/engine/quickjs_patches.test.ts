// napkin's patches to QuickJS (boot/quickjs-patches) change how the
// interpreter reads fields and typed arrays, calls natives and finds the
// opcode it runs, and how it loads bytecode. The language must not notice: quickjs_patches.js checks the paths each patch
// takes and the ones it leaves to the generic code, in the host build of the
// patched engine that compiles the kernel's bundle (`qjsbc --run`), after the
// same trip through bytecode as the kernel makes.
import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import { mkdtempSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";

const QJSBC = "build/host/qjsbc";

function run_script(script: string): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync(QJSBC, ["--run", script], { encoding: "utf8" });
  if (run.error) throw new Error(`${QJSBC}: ${run.error.message} (make builds it)`);
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
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
});
