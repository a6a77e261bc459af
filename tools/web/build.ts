// Builds the page into build/web/: the TypeScript bundled by esbuild into
// main.js (+ main.css from the imported stylesheets), index.html, and the two
// files the page fetches at run time, napkin.elf and v86.wasm.
import fs from "fs";
import path from "path";
import { build } from "esbuild";

const ROOT = path.join(__dirname, "..", "..");
export const WEB_DIR = path.join(ROOT, "build", "web");

export async function build_web(out_dir = WEB_DIR): Promise<void> {
  const image = path.join(ROOT, "images", "napkin.elf");
  if (!fs.existsSync(image)) throw new Error(`${image} is missing: run make first`);
  fs.mkdirSync(out_dir, { recursive: true });
  await build({
    entryPoints: [path.join(__dirname, "main.ts")],
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2020",
    // v86 reaches for Node modules only when it runs under Node.
    external: ["fs", "crypto", "perf_hooks", "node:*"],
    outfile: path.join(out_dir, "main.js"),
    sourcemap: true,
    logLevel: "warning",
  });
  fs.copyFileSync(path.join(__dirname, "index.html"), path.join(out_dir, "index.html"));
  fs.copyFileSync(image, path.join(out_dir, "napkin.elf"));
  fs.copyFileSync(require.resolve("v86/build/v86.wasm"), path.join(out_dir, "v86.wasm"));
}

if (require.main === module) {
  build_web().then(
    () => console.log(`web: built ${path.relative(process.cwd(), WEB_DIR)}/`),
    (error) => {
      console.error(`web: ${error.message}`);
      process.exit(1);
    },
  );
}
