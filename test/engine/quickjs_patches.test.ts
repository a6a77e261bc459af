// napkin's patches to QuickJS (boot/quickjs-patches) change how the
// interpreter reads fields and typed arrays and how it loads bytecode. The
// language must not notice: quickjs_patches.js checks the paths each patch
// takes and the ones it leaves to the generic code, in a host build of the
// patched engine (tools/qjsrun.c, built by `make test`), after a trip
// through bytecode as the guest's kernel makes.
import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import { mkdtempSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";

const QJSRUN = "build/host/qjsrun";

function qjsrun(script: string): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync(QJSRUN, [script], { encoding: "utf8" });
  if (run.error) throw new Error(`${QJSRUN}: ${run.error.message} (make builds it)`);
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe("engine: napkin's QuickJS patches", () => {
  it("leave typed arrays, fields, accessors, proxies and length as the language has them", () => {
    const run = qjsrun("test/engine/quickjs_patches.js");
    assert.equal(run.status, 0, run.stderr);
    const m = run.stdout.match(/^ok (\d+)\n$/);
    assert.ok(m, run.stdout);
    assert.ok(Number(m[1]) >= 40, `every check ran: ${run.stdout}`);
  });

  it("the runner fails a script that throws, and says why", () => {
    const script = join(mkdtempSync(join(tmpdir(), "qjsrun-")), "throws.js");
    writeFileSync(script, 'const o = { a: 1 };\nif (o.a === 1) throw new Error("the check failed");\n');
    const run = qjsrun(script);
    assert.equal(run.status, 1);
    assert.match(run.stderr, /the check failed/);
  });
});
