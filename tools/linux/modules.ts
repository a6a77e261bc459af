// Kernel modules for the initramfs: find each wanted module in the unpacked
// linux-image package, follow the `depends=` of its .modinfo (what modinfo
// prints; the package ships no modules.dep, depmod makes that at install
// time) and list them in an order busybox insmod can load, dependencies first.
// A compressed module (.ko.xz, .ko.gz) is decompressed here, since busybox
// insmod may not do it.
import { execFileSync } from "child_process";
import fs from "fs";
import path from "path";
import zlib from "zlib";

export interface Module {
  name: string;
  file: string;
  depends: string[];
}

/** modprobe treats '-' and '_' in module names alike. */
function canonical(name: string): string {
  return name.replace(/-/g, "_");
}

function module_name(file: string): string {
  return canonical(path.basename(file).replace(/\.ko(\.xz|\.gz|\.zst)?$/, ""));
}

function walk(dir: string, found: Map<string, string>): void {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(full, found);
    else if (/\.ko(\.xz|\.gz|\.zst)?$/.test(entry.name)) found.set(module_name(full), full);
  }
}

/** The module's ELF image, decompressed if the package compressed it. */
export function module_image(file: string): Uint8Array {
  const raw = fs.readFileSync(file);
  if (file.endsWith(".ko")) return raw;
  if (file.endsWith(".gz")) return zlib.gunzipSync(raw);
  if (file.endsWith(".xz")) return execFileSync("xz", ["-dc", file], { maxBuffer: 64 << 20 });
  return execFileSync("zstd", ["-dc", file], { maxBuffer: 64 << 20 });
}

/** The comma-separated `depends=` string of the module's .modinfo section. */
export function modinfo_depends(image: Uint8Array): string[] {
  const text = Buffer.from(image.buffer, image.byteOffset, image.byteLength).toString("latin1");
  const m = /(?:^|\0)depends=([^\0]*)\0/.exec(text);
  return m && m[1] ? m[1].split(",").map(canonical) : [];
}

/** The wanted modules and everything they depend on, dependencies before dependents. */
export function resolve_modules(modules_dir: string, wanted: string[]): Module[] {
  const files = new Map<string, string>();
  walk(modules_dir, files);
  const ordered: Module[] = [];
  const visiting = new Set<string>();
  const done = new Set<string>();
  const visit = (name: string) => {
    if (done.has(name)) return;
    if (visiting.has(name)) throw new Error(`module dependency cycle through ${name}`);
    const file = files.get(name);
    if (!file) throw new Error(`module ${name} is not in ${modules_dir}`);
    visiting.add(name);
    const depends = modinfo_depends(module_image(file));
    for (const dep of depends) visit(dep);
    visiting.delete(name);
    done.add(name);
    ordered.push({ name, file, depends });
  };
  for (const name of wanted) visit(canonical(name));
  return ordered;
}
