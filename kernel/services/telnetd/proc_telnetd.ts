// /proc/telnetd: what telnetd's guard counted and holds, one "Name: value"
// line each (as /proc/meminfo), then one line per source address with failures.
import { hal } from "../../hal/current";
import { ipv4_to_string } from "../../../net/wire/address";
import type { TelnetdGuard } from "./guard";
import { CLEAN_RESERVE, GUESS_BURST, GUESS_RATE_PER_S } from "./guess_budget";

/** The text of /proc/telnetd for `guard`. */
export function telnetd_proc_text(guard: TelnetdGuard): string {
  const now = hal.now_us();
  const b = guard.budget;
  const o = guard.options;
  const rows: [string, string | number][] = [
    ["SessionsLoggedIn", guard.logged_in()],
    ["SessionsMax", o.max_sessions],
    ["StartupsWaiting", guard.startups.count],
    ["StartupsMax", o.max_startups],
    ["LoginTimeoutSeconds", o.login_timeout_s],
    ["ConnRefusedSessionsFull", guard.refused_sessions_full],
    ["ConnRefusedStartupsFull", guard.startups.refused],
    ["ConnEvicted", guard.startups.evicted],
    ["ConnTimedOut", guard.timed_out],
    ["GuessesChecked", b.checked],
    ["Logins", b.logins],
    ["LoginsFailed", b.failures],
    ["GuessesRefusedOverBudget", b.refused_over_budget],
    ["GuessesRefusedHeldOff", b.refused_held_off],
    ["BudgetPerSecond", GUESS_RATE_PER_S],
    ["BudgetBurst", GUESS_BURST],
    ["BudgetReserved", CLEAN_RESERVE],
    ["BudgetTokens", b.bucket.tokens(now).toFixed(2)],
    ["SourcesFailing", b.sources.size],
    ["LogSuppressed", guard.log_suppressed],
  ];
  let out = "";
  for (const [name, value] of rows) out += `${(name + ":").padEnd(26)}${value}\n`;
  for (const [source, record] of b.sources) {
    const held = Math.max(0, b.held_off_until(source) - now) / 1e6;
    out += `source ${ipv4_to_string(source)}: ${record.failures} failures, held off ${held.toFixed(1)} s more\n`;
  }
  return out;
}
