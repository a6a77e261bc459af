// window.napkin_test: what the browser test reads and types through, the
// same paths a user's keystrokes take.
import type { Terminal } from "@xterm/xterm";
import type { ChartData } from "./chart_data";

export interface TestTerminal {
  term: Terminal;
  type: (data: string) => void;
}

export interface TestHookParts {
  serial: TestTerminal;
  telnet: TestTerminal;
  /** The live panel's figures: running totals and per-second rates, by name. */
  panel: () => { totals: Record<string, number>; rates: Record<string, number> };
  /** What each chart shows: its series, each point a rate (or an RTT) at a performance.now() time. */
  charts: () => ChartData;
  /** The flood's running totals: datagrams offered, echoes back, port unreachables back. */
  flood: () => { offered: number; delivered: number; refused: number };
}

/** Everything on a terminal's screen and in its scrollback, one string per line (wrapped rows rejoined). */
function text_of(term: Terminal): string {
  const buffer = term.buffer.active;
  const lines: string[] = [];
  for (let y = 0; y < buffer.length; y++) {
    const row = buffer.getLine(y);
    if (!row) continue;
    const text = row.translateToString(!buffer.getLine(y + 1)?.isWrapped);
    if (row.isWrapped && lines.length > 0) lines[lines.length - 1] += text;
    else lines.push(text);
  }
  return lines.join("\n");
}

export function expose_test_hook(parts: TestHookParts): void {
  const terminals = { serial: parts.serial, telnet: parts.telnet };
  (window as any).napkin_test = {
    text: (which: keyof typeof terminals) => text_of(terminals[which].term),
    type: (which: keyof typeof terminals, data: string) => terminals[which].type(data),
    panel: parts.panel,
    charts: parts.charts,
    flood: parts.flood,
  };
}
