// `make web`'s page in a real browser: Chromium loads it from the static
// server, napkin boots in v86 inside it, and the test types into the serial
// terminal (and the Telnet one) as a person would. The screenshot is kept in
// test-artifacts/web.png.
import assert from "assert";
import { execFileSync } from "child_process";
import fs from "fs";
import type http from "http";
import path from "path";
import type { Page } from "puppeteer-core";
import { build_web, WEB_DIR } from "../../tools/web/build";
import { serve, url_of } from "../../tools/web/serve";
import { Chromium, CHROMIUM, launch_chromium, type_into, wait_for_text } from "./page";

const ROOT = path.join(__dirname, "..", "..");
const SCREENSHOT = path.join(ROOT, "test-artifacts", "web.png");
const PROMPT = /napkin# /;

describe("napkin in a browser (make web)", function () {
  this.timeout(120_000);
  let server: http.Server;
  let chromium: Chromium;
  let page: Page;
  const page_errors: string[] = [];

  before(async function () {
    if (!fs.existsSync(CHROMIUM)) this.skip(); // tools/setup.sh installs it
    await build_web();
    server = await serve(WEB_DIR, 0);
    chromium = await launch_chromium();
    page = await chromium.browser.newPage();
    await page.setViewport({ width: 1500, height: 1000 });
    page.on("pageerror", (error) => page_errors.push(String(error)));
    await page.goto(url_of(server));
  });

  after(async function () {
    if (page) {
      fs.mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
      await page.screenshot({ path: SCREENSHOT as `${string}.png` });
    }
    await chromium?.close();
    server?.close();
  });

  it("boots to the serial shell and runs a command typed into xterm", async function () {
    await page.waitForFunction(() => (globalThis as any).napkin_test !== undefined, { timeout: 30_000 });
    // Boot messages may still follow the first prompt, so no "at the end".
    await wait_for_text(page, "serial", PROMPT, 60_000);
    await type_into(page, "serial", "echo hello-from-chromium\r");
    // The output on a line of its own (the typed command line starts with the prompt).
    await wait_for_text(page, "serial", /^hello-from-chromium$/m, 10_000);
    assert.deepStrictEqual(page_errors, []);
  });

  it("logs in over Telnet through the in-page network stack", async function () {
    const login = await wait_for_text(page, "telnet", /login: $|\[refused\]/m, 20_000);
    if (login[0] === "[refused]") {
      console.log("      (skipped: nothing listens on the guest's port 23 yet; the connection was refused)");
      this.skip();
    }
    await type_into(page, "telnet", "root\r");
    await wait_for_text(page, "telnet", /[Pp]assword: $/m, 10_000);
    await type_into(page, "telnet", "napkin\r");
    await wait_for_text(page, "telnet", /napkin# $/m, 10_000);
    await type_into(page, "telnet", "echo hello-over-telnet\r");
    await wait_for_text(page, "telnet", /^hello-over-telnet$/m, 10_000);
  });

  it("shows host-side counters and the guest's own figures in the live panel", async function () {
    // An idle napkin is tickless, so rates may well be 0: look at the totals.
    // The typing raised the UART's IRQ, the Telnet session made packets, and
    // the panel's own session brings NAPI and thread figures from the guest.
    await page.waitForFunction(
      () => {
        const { totals } = (globalThis as any).napkin_test.panel();
        return totals["IRQs"] > 0 && totals["packets from guest"] > 0 && totals["NAPI polls"] > 0;
      },
      { timeout: 15_000 },
    );
    const rows = await page.$$eval("#panel tbody th", (cells) => cells.map((cell) => cell.textContent!.trim()));
    for (const row of ["IRQs", "packets to guest", "time_squeeze"]) assert.ok(rows.includes(row), `no ${row} in the panel: ${rows.join(", ")}`);
    assert.ok(rows.some((row) => row.startsWith("cpu ms")), `no thread CPU in the panel: ${rows.join(", ")}`);
  });
});

// The page's code has its own tsconfig (it needs the DOM); check it here so
// `npx mocha` covers what `npx tsc -p .` leaves out.
describe("tools/web typechecks", function () {
  it("passes tsc with tools/web/tsconfig.json", function () {
    this.timeout(60_000);
    execFileSync(path.join(ROOT, "node_modules", ".bin", "tsc"), ["--noEmit", "-p", path.join(ROOT, "tools", "web")], { stdio: "pipe" });
  });
});
