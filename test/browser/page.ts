// Drives the napkin page in Debian's Chromium through puppeteer-core: launch
// (never downloading a browser), and the terminal helpers the test uses.
import fs from "fs";
import os from "os";
import path from "path";
import puppeteer, { Browser, Page } from "puppeteer-core";

export const CHROMIUM = "/usr/bin/chromium";

export interface Chromium {
  browser: Browser;
  close(): Promise<void>;
}

export async function launch_chromium(): Promise<Chromium> {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), "napkin-chromium-"));
  const browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      `--user-data-dir=${profile}`,
    ],
  });
  return {
    browser,
    async close() {
      await browser.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

export type TerminalName = "serial" | "telnet";

/** The whole text of one of the page's terminals (scrollback included). */
export function terminal_text(page: Page, which: TerminalName): Promise<string> {
  return page.evaluate((name) => (globalThis as any).napkin_test.text(name) as string, which);
}

export async function type_into(page: Page, which: TerminalName, data: string): Promise<void> {
  await page.evaluate((name, text) => (globalThis as any).napkin_test.type(name, text), which, data);
}

/** Polls a terminal until `match` finds something in its text; throws with the text on timeout. */
export async function wait_for_text(page: Page, which: TerminalName, match: RegExp, timeout_ms: number): Promise<RegExpMatchArray> {
  const deadline = Date.now() + timeout_ms;
  for (;;) {
    const text = await terminal_text(page, which);
    const found = text.match(match);
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`${which} terminal: no ${match} within ${timeout_ms} ms; it shows:\n${text.trimEnd()}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
