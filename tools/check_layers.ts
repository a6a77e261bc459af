// tools/check_layers.ts: napkin's import rules, checked (CI runs it through
// `make test`). Prints every violation and exits 1 if there is any.
//
//   1. No import cycle between files, anywhere in the TypeScript tree (type
//      imports count: a cycle of types is still a knot for the reader).
//   2. The guest code's imports run one way, from the metal to the services.
//      Each file belongs to the first layer in LAYERS whose prefix matches its
//      path; it may import files of its own layer or of layers below it.
//
// The layering is the one the README's "How the code is layered" describes.
import fs from "fs";
import path from "path";

/** Lowest first. A file may import only from its own layer or earlier ones. */
export const LAYERS: { name: string; prefixes: string[] }[] = [
  { name: "the stack (net/)", prefixes: ["net/"] },
  { name: "the HAL", prefixes: ["kernel/hal/"] },
  { name: "kernel library", prefixes: ["kernel/lib/", "kernel/log.ts", "kernel/version.ts"] },
  { name: "memory", prefixes: ["kernel/mm/"] },
  { name: "time", prefixes: ["kernel/time/"] },
  { name: "scheduler", prefixes: ["kernel/sched/"] },
  { name: "IRQs and terminals", prefixes: ["kernel/irq/", "kernel/tty/"] },
  { name: "procfs", prefixes: ["kernel/fs/"] },
  { name: "the net core", prefixes: ["kernel/net/"] },
  { name: "drivers", prefixes: ["drivers/"] },
  { name: "services", prefixes: ["kernel/services/"] },
  { name: "the entry", prefixes: ["kernel/main.ts", "kernel/entry.ts"] },
];

const GUEST_ROOTS = ["kernel", "drivers", "net"];
const ALL_ROOTS = [...GUEST_ROOTS, "tools", "test"];

/** The relative module specifiers a file imports (static, re-export, side-effect and dynamic imports). */
export function imports_of(source: string): string[] {
  const specs: string[] = [];
  const pattern = /(?:^|[\s;])(?:import|export)\b[^;"'`]*?\bfrom\s*(["'])([^"']+)\1|(?:^|[\s;])import\s*\(?\s*(["'])([^"']+)\3/g;
  const code = source.replace(/\/\*[^]*?\*\//g, "").replace(/(^|[^:"'`])\/\/.*$/gm, "$1");
  for (let m = pattern.exec(code); m !== null; m = pattern.exec(code)) {
    const spec = m[2] ?? m[4];
    if (spec.startsWith(".")) specs.push(spec);
  }
  return specs;
}

function list_ts(root: string, dir: string, out: string[]): void {
  const full = path.join(root, dir);
  if (!fs.existsSync(full)) return;
  for (const entry of fs.readdirSync(full, { withFileTypes: true })) {
    const rel = path.posix.join(dir, entry.name);
    if (entry.isDirectory() && entry.name !== "node_modules") list_ts(root, rel, out);
    else if (entry.isFile() && rel.endsWith(".ts") && !rel.endsWith(".d.ts")) out.push(rel);
  }
}

function resolve(root: string, from: string, spec: string): string | null {
  const base = path.posix.normalize(path.posix.join(path.posix.dirname(from), spec));
  for (const candidate of [base, `${base}.ts`, `${base}/index.ts`]) {
    if (candidate.endsWith(".ts") && fs.existsSync(path.join(root, candidate))) return candidate;
  }
  return null;
}

export function layer_of(file: string): number {
  return LAYERS.findIndex((layer) => layer.prefixes.some((prefix) => file === prefix || file.startsWith(prefix)));
}

/** The import graph: file -> files it imports (only files inside the tree). */
export function import_graph(root: string, roots: string[] = ALL_ROOTS): Map<string, string[]> {
  const files: string[] = [];
  for (const dir of roots) list_ts(root, dir, files);
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const targets = imports_of(fs.readFileSync(path.join(root, file), "utf8"))
      .map((spec) => resolve(root, file, spec))
      .filter((target): target is string => target !== null);
    graph.set(file, [...new Set(targets)]);
  }
  return graph;
}

/** Strongly connected components with more than one file (or a file importing itself): the cycles. */
export function find_cycles(graph: Map<string, string[]>): string[][] {
  // Tarjan's algorithm.
  let index = 0;
  const indices = new Map<string, number>();
  const lowlink = new Map<string, number>();
  const on_stack = new Set<string>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  const visit = (file: string): void => {
    indices.set(file, index);
    lowlink.set(file, index);
    index++;
    stack.push(file);
    on_stack.add(file);
    for (const next of graph.get(file) ?? []) {
      if (!indices.has(next)) {
        visit(next);
        lowlink.set(file, Math.min(lowlink.get(file)!, lowlink.get(next)!));
      } else if (on_stack.has(next)) {
        lowlink.set(file, Math.min(lowlink.get(file)!, indices.get(next)!));
      }
    }
    if (lowlink.get(file) === indices.get(file)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        on_stack.delete(member);
        component.push(member);
      } while (member !== file);
      if (component.length > 1 || (graph.get(file) ?? []).includes(file)) cycles.push(component.sort());
    }
  };
  for (const file of graph.keys()) if (!indices.has(file)) visit(file);
  return cycles;
}

/** Imports in the guest code that run against the layering, as "from -> to (why)". */
export function layering_violations(graph: Map<string, string[]>): string[] {
  const problems: string[] = [];
  for (const [file, targets] of graph) {
    if (!GUEST_ROOTS.some((root) => file.startsWith(`${root}/`))) continue;
    const from = layer_of(file);
    if (from < 0) {
      problems.push(`${file}: in no layer (add it to LAYERS in tools/check_layers.ts)`);
      continue;
    }
    for (const target of targets) {
      const to = layer_of(target);
      if (to > from) problems.push(`${file} -> ${target}: ${LAYERS[from].name} may not import ${LAYERS[to].name}`);
      if (to < 0) problems.push(`${file} -> ${target}: imports code outside the guest`);
    }
  }
  return problems;
}

function main(): void {
  const root = path.join(__dirname, "..");
  const graph = import_graph(root);
  const cycles = find_cycles(graph);
  const violations = layering_violations(graph);
  for (const cycle of cycles) console.log(`import cycle: ${cycle.join(", ")}`);
  for (const violation of violations) console.log(`layering: ${violation}`);
  const edges = [...graph.values()].reduce((sum, targets) => sum + targets.length, 0);
  console.log(`check_layers: ${graph.size} files, ${edges} imports, ${cycles.length} cycles, ${violations.length} layering violations`);
  if (cycles.length > 0 || violations.length > 0) process.exit(1);
}

if (require.main === module) main();
