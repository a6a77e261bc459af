// tools/check_docs.ts: every exported symbol of the stack (net/) and of the
// net core (kernel/net/) has a doc comment (/** ... */) right above it that
// says what it is for. Prints each one missing and exits 1 if any is.
import fs from "fs";
import path from "path";

const ROOTS = ["net", "kernel/net"];
const EXPORT =
  /^export\s+(?:declare\s+)?(?:default\s+)?(?:abstract\s+)?(?:async\s+)?(?:function\*?|class|const\s+enum|const|let|var|interface|type|enum)\s+([A-Za-z_$][\w$]*)/;

function ts_files(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return ts_files(full);
    return entry.name.endsWith(".ts") ? [full] : [];
  });
}

/** The exported symbols of `source` that have no doc comment directly above them. */
export function undocumented_exports(source: string): string[] {
  const lines = source.split("\n");
  const missing: string[] = [];
  lines.forEach((line, i) => {
    const m = EXPORT.exec(line);
    if (!m) return;
    let j = i - 1;
    while (j >= 0 && lines[j].trim().startsWith("@")) j--; // decorators, if any
    const above = j >= 0 ? lines[j].trim() : "";
    // The comment ends on the line above: either a one-line /** ... */ or the end of a block that began with /**.
    let documented = above.endsWith("*/");
    if (documented && !above.startsWith("/**")) {
      let k = j;
      while (k >= 0 && !lines[k].trim().startsWith("/*")) k--;
      documented = k >= 0 && lines[k].trim().startsWith("/**");
    }
    if (!documented) missing.push(`${m[1]} (line ${i + 1})`);
  });
  return missing;
}

function main(): void {
  const root = path.join(__dirname, "..");
  let count = 0;
  for (const dir of ROOTS) {
    for (const file of ts_files(path.join(root, dir))) {
      for (const symbol of undocumented_exports(fs.readFileSync(file, "utf8"))) {
        console.log(`${path.relative(root, file)}: ${symbol} has no doc comment`);
        count++;
      }
    }
  }
  console.log(`check_docs: ${count} exported symbols without a doc comment`);
  if (count > 0) process.exit(1);
}

if (require.main === module) main();
