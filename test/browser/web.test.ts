// `make web`'s page in a real browser: Chromium loads it from the static
// server, napkin boots in v86 inside it, and the test types into the serial
// terminal (and the Telnet one) as a person would, and clicks the page's
// controls to flood the guest in interrupt mode and in NAPI mode. The
// screenshot of the whole page is kept in test-artifacts/web.png, and those
// of the charts during each flood in test-artifacts/ too; with
// UPDATE_SCREENSHOTS=1 they also replace the README's pictures in docs/web/.
import assert from "assert";
import { execFileSync } from "child_process";
import fs from "fs";
import type http from "http";
import path from "path";
import type { Page } from "puppeteer-core";
import { build_web, WEB_DIR } from "../../tools/web/build";
import { serve, url_of } from "../../tools/web/serve";
import type { ChartData } from "../../tools/web/chart_data";
import { Chromium, CHROMIUM, launch_chromium, type_into, wait_for_text } from "./page";

const ROOT = path.join(__dirname, "..", "..");
const SCREENSHOT = path.join(ROOT, "test-artifacts", "web.png");
const CHART_SCREENSHOTS =
  process.env.UPDATE_SCREENSHOTS === "1"
    ? [path.join(ROOT, "test-artifacts"), path.join(ROOT, "docs", "web")]
    : [path.join(ROOT, "test-artifacts")];
const PROMPT = /napkin# /;
/** The offered load of both floods (packets/s), the page's default: more than napkin in v86 can echo in either mode. */
const FLOOD_RATE = 24_000;
/** Seconds of each flood left out (the queues fill), then seconds averaged; counted in samples, never timed. */
const SETTLE_SAMPLES = 3;
const MEASURED_SAMPLES = 8;

type Mode = "interrupt" | "napi";

interface FloodResult {
  offered: number;
  delivered: number;
  /** performance.now() in the page when the flood started. */
  started_at_ms: number;
}

const charts = (page: Page): Promise<ChartData> => page.evaluate(() => (globalThis as any).napkin_test.charts() as ChartData);

function points_since(data: ChartData, chart: string, label: string | RegExp, since_ms: number): number[] {
  const series = data[chart].find((s) => (typeof label === "string" ? s.label === label : label.test(s.label)));
  return (series?.points ?? []).filter((p) => p.at_ms > since_ms).map((p) => p.value);
}

const mean = (values: number[]) => values.reduce((sum, v) => sum + v, 0) / values.length;

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
        return totals["IRQs"] > 0 && totals["packets from guest"] > 0 && totals["NAPI polls"] > 0 && totals["time_squeeze"] >= 0;
      },
      { timeout: 15_000 },
    );
    const rows = await page.$$eval("#panel tbody th", (cells) => cells.map((cell) => cell.textContent!.trim()));
    for (const row of ["IRQs", "packets to guest", "time_squeeze"])
      assert.ok(rows.includes(row), `no ${row} in the panel: ${rows.join(", ")}`);
    assert.ok(
      rows.some((row) => row.startsWith("cpu ms")),
      `no thread CPU in the panel: ${rows.join(", ")}`,
    );
  });

  describe("a UDP flood from the page's controls, in each receive mode", function () {
    const results: Partial<Record<Mode, FloodResult>> = {};

    before(async function () {
      await page.click("#ping-toggle");
      await page.click("#flood-rate", { clickCount: 3 }); // select what is there, to type over it
      await page.keyboard.type(String(FLOOD_RATE));
    });

    for (const mode of ["interrupt", "napi"] as Mode[]) {
      it(`delivers echoes and moves the charts in ${mode} mode`, async function () {
        this.timeout(240_000);
        await page.click(`#mode-${mode}`);
        // The guest says so over the page's Telnet session, which may take a
        // while to come back after the previous flood.
        await page.waitForSelector(`#mode-status[data-mode="${mode}"]`, { timeout: 120_000 });
        const started_at_ms = await page.evaluate(() => performance.now());
        await page.click("#flood-toggle");
        await page.waitForFunction(
          (since, needed) => {
            const data = (globalThis as any).napkin_test.charts();
            const offered = data.flood.find((s: { label: string }) => s.label === "offered");
            return offered.points.filter((p: { at_ms: number }) => p.at_ms > since).length >= needed;
          },
          { timeout: 120_000, polling: 500 },
          started_at_ms,
          SETTLE_SAMPLES + MEASURED_SAMPLES,
        );
        const screenshot = await (await page.$("#napi-live"))!.screenshot();
        const data = await charts(page);
        const totals = await page.evaluate(() => (globalThis as any).napkin_test.flood() as { delivered: number; refused: number });
        await page.click("#flood-toggle");
        if (totals.delivered === 0 && totals.refused > 0) {
          console.log("      (skipped: the guest has no UDP echo service yet; it answered port unreachable)");
          this.skip();
        }

        for (const dir of CHART_SCREENSHOTS) {
          fs.mkdirSync(dir, { recursive: true });
          fs.writeFileSync(path.join(dir, `${mode}.png`), screenshot);
        }

        const offered = points_since(data, "flood", "offered", started_at_ms).slice(SETTLE_SAMPLES);
        const delivered = points_since(data, "flood", "delivered (echoed)", started_at_ms).slice(SETTLE_SAMPLES);
        results[mode] = { offered: mean(offered), delivered: mean(delivered), started_at_ms };
        console.log(`      ${mode}: offered ${Math.round(mean(offered))} packets/s, delivered ${Math.round(mean(delivered))} packets/s`);
        assert.ok(mean(offered) > 0, "the page offered nothing");
        // Only NAPI mode must deliver: interrupt mode that livelocks may
        // deliver nothing at all, which is what the page is there to show.
        if (mode === "napi") assert.ok(mean(delivered) > 0, "no echo came back in NAPI mode");
        // The host saw the NIC's interrupts and the packets on the wire.
        assert.ok(
          points_since(data, "nic", /^IRQs\/s/, started_at_ms).some((v) => v > 0),
          "no interrupts charted for eth0",
        );
        assert.ok(
          points_since(data, "nic", "packets/s to guest", started_at_ms).some((v) => v > 0),
          "no packets charted to the guest",
        );
        assert.deepStrictEqual(page_errors, []);
      });
    }

    it("charts NAPI's polls and the receive work's CPU from the guest, and ping's round trips", async function () {
      this.timeout(180_000);
      // The guest's figures may come late (a busy guest answers the page's
      // Telnet session when it can): wait for them rather than read once.
      const since = results.interrupt?.started_at_ms ?? 0;
      await page.waitForFunction(
        // No named functions in here: the test's compiler would wrap them in a helper the page lacks.
        (since_ms, wanted) => {
          const data: ChartData = (globalThis as any).napkin_test.charts();
          return wanted.every(([chart, label]) =>
            data[chart].some((s) => new RegExp(label).test(s.label) && s.points.some((p) => p.at_ms > since_ms && p.value > 0)),
          );
        },
        { timeout: 150_000, polling: 1000 },
        since,
        [
          ["napi", "^polls"],
          ["cpu", "^(napi_handler|irq/\\d+-eth0) "],
          ["ping", "^RTT"],
        ],
      );
    });

    // What the page is there to show: at the same offered rate, NAPI delivers at least
    // twice what interrupt mode does. The page's flood arrives spread out,
    // as the rx-curve's of `tools/bench versus` does (tools/web/udp_flood.ts),
    // and at 24000 packets/s interrupt mode collapses in the page: its
    // handler, with no budget, takes every frame the top half drains, and the
    // echo thread that would answer them does not run (0 echoes/s, against
    // NAPI's 1660-1760/s). At 12000/s, since the receive path got cheaper,
    // interrupt mode still echoes 550-890/s against NAPI's 1710-1770/s: too
    // close to twice for the test to say anything; at 3000/s both modes echo
    // about the same.
    it("delivers at least twice as many packets in NAPI mode as in interrupt mode", function () {
      const { interrupt, napi } = results;
      assert.ok(interrupt && napi, "both floods must have run");
      assert.ok(
        napi.delivered >= 2 * interrupt.delivered,
        `NAPI ${napi.delivered.toFixed(0)}/s against interrupt ${interrupt.delivered.toFixed(0)}/s`,
      );
    });
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
