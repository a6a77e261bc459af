// A tiny static file server for build/web/. Only files inside the root are
// served (the decoded path is resolved and must stay under it), with the
// MIME types the page needs, wasm's included: browsers refuse to stream-
// compile wasm served as anything but application/wasm.
//   npx tsx tools/web/serve.ts [--port N]   (builds first; default 8086)
import fs from "fs";
import http from "http";
import path from "path";
import type { AddressInfo } from "net";
import { build_web, WEB_DIR } from "./build";

const MIME_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".map": "application/json",
  ".wasm": "application/wasm",
  ".elf": "application/octet-stream",
};

/** The file a request path names, or null if it would leave the root. */
export function resolve_inside(root: string, url_path: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(url_path.split("?")[0]);
  } catch {
    return null; // malformed %-escape
  }
  if (decoded.includes("\0")) return null;
  const file = path.resolve(root, "." + path.posix.normalize("/" + decoded));
  const inside = file === root || file.startsWith(root + path.sep);
  return inside ? file : null;
}

export function serve(root: string, port: number, host = "127.0.0.1"): Promise<http.Server> {
  root = path.resolve(root);
  const server = http.createServer((request, response) => {
    const fail = (status: number) => {
      response.writeHead(status, { "content-type": "text/plain" });
      response.end(`${status}\n`);
    };
    if (request.method !== "GET" && request.method !== "HEAD") return fail(405);
    let file = resolve_inside(root, request.url ?? "/");
    if (file === null) return fail(403);
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, "index.html");
    fs.stat(file, (error, stat) => {
      if (error || !stat.isFile()) return fail(404);
      response.writeHead(200, {
        "content-type": MIME_TYPES[path.extname(file)] ?? "application/octet-stream",
        "content-length": stat.size,
        "cache-control": "no-cache",
      });
      if (request.method === "HEAD") response.end();
      else fs.createReadStream(file).pipe(response);
    });
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve(server));
  });
}

export function url_of(server: http.Server): string {
  const { address, port } = server.address() as AddressInfo;
  return `http://${address}:${port}/`;
}

async function main(): Promise<void> {
  const flag = process.argv.indexOf("--port");
  const port = flag >= 0 ? Number(process.argv[flag + 1]) : 8086;
  await build_web();
  const server = await serve(WEB_DIR, port);
  console.log(`napkin in a browser: ${url_of(server)}  (Ctrl-C stops)`);
}

if (require.main === module) {
  main().catch((error) => {
    console.error(`web: ${error.message}`);
    process.exit(1);
  });
}
