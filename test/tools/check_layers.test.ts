// The import checker CI relies on: it must see cycles and imports against
// the layering, or its silence on the real tree means nothing.
import { strict as assert } from "assert";
import { find_cycles, imports_of, layering_violations } from "../../tools/check_layers";
import { undocumented_exports } from "../../tools/check_docs";

describe("tools: import and doc checkers", () => {
  it("reads every form of relative import, and nothing in comments", () => {
    const source = [
      'import { a } from "./a";',
      'import type { B } from "../b";',
      "import './side_effect';",
      'export { c } from "./c";',
      'import {\n  d,\n  e,\n} from "./de";',
      'const f = await import("./f");',
      '// import { g } from "./g";',
      'import fs from "fs";',
    ].join("\n");
    assert.deepEqual(imports_of(source), ["./a", "../b", "./side_effect", "./c", "./de", "./f"]);
  });

  it("finds a cycle through several files, and none in a tree", () => {
    const knot = new Map([
      ["x.ts", ["y.ts"]],
      ["y.ts", ["z.ts"]],
      ["z.ts", ["x.ts"]],
      ["w.ts", ["x.ts"]],
    ]);
    assert.deepEqual(find_cycles(knot), [["x.ts", "y.ts", "z.ts"]]);
    const tree = new Map([
      ["x.ts", ["y.ts", "z.ts"]],
      ["y.ts", ["z.ts"]],
      ["z.ts", []],
    ]);
    assert.deepEqual(find_cycles(tree), []);
  });

  it("flags the net core importing a driver, and lets a driver import the core", () => {
    const graph = new Map([
      ["kernel/net/netns.ts", ["drivers/net/ne2000.ts"]],
      ["drivers/net/ne2000.ts", ["kernel/net/netdevice.ts"]],
      ["kernel/net/netdevice.ts", []],
    ]);
    const problems = layering_violations(graph);
    assert.equal(problems.length, 1);
    assert.match(problems[0], /^kernel\/net\/netns\.ts -> drivers\/net\/ne2000\.ts: the net core may not import drivers/);
  });

  it("finds exports without a doc comment", () => {
    const source = [
      "/** Documented. */",
      "export const A = 1;",
      "export const B = 2;",
      "/**",
      " * Documented over",
      " * several lines.",
      " */",
      "export class C {}",
      "// A plain comment is not a doc comment.",
      "export function d(): void {}",
    ].join("\n");
    assert.deepEqual(undocumented_exports(source), ["B (line 3)", "d (line 10)"]);
  });
});
