// login(1) for telnet sessions: a user name, a password without echo, at
// most LOGIN_TRIES tries per connection. Each guess must first be admitted
// by telnetd's guessing budget (guess_budget.ts), which is shared by every
// connection: it waits its turn if that comes within GUESS_WAIT_MAX_US, and
// is refused unchecked if not. A checked guess is answered ANSWER_DELAY_US
// after it was checked, whether right or wrong, so the time an answer takes
// says nothing about the password. Every failure and refusal is counted, and
// logged within the guard's rate limit.
import { hal } from "../../hal/current";
import { KERN_NOTICE } from "../../log";
import { wait_event_timeout } from "../../sched/waitqueue";
import type { Tty } from "../../tty/tty";
import type { TelnetdGuard } from "./guard";

export const LOGIN_USER = "root";
export const LOGIN_TRIES = 3;
/** How long after a guess is checked its answer comes, right or wrong. */
export const ANSWER_DELAY_US = 500_000;
/** The longest a guess waits for the budget to admit it. */
export const GUESS_WAIT_MAX_US = 10_000_000;
const MAX_INPUT = 64;

const BACKSPACE = 0x08;
const DEL = 0x7f;
const CR = 0x0d;
const LF = 0x0a;

/** Where a login attempt comes from: the source address the budget counts, and "ADDR:PORT" for the log. */
export interface LoginPeer {
  source: number;
  name: string;
}

/** Ask for a user name and password on `tty`; true once someone logged in. */
export async function login(tty: Tty, guard: TelnetdGuard, peer: LoginPeer): Promise<boolean> {
  let tries = 0;
  while (tries < LOGIN_TRIES && !tty.hung_up) {
    tty.write("napkin login: ");
    const user = await read_input(tty, true);
    if (user === null) continue; // Ctrl-C: ask again (or hung up: the loop ends)
    tty.write("Password: ");
    const given = await read_input(tty, false);
    tty.write("\n");
    if (given === null) continue;
    tries++;
    if (await check(tty, guard, peer, user, given, tries)) return true;
  }
  if (tries === LOGIN_TRIES) {
    tty.write("Too many failed logins.\n");
    guard.log(KERN_NOTICE, `telnetd: too many failed logins from ${peer.name}, closing`);
  }
  return false;
}

/** One guess: refused, or checked and answered after ANSWER_DELAY_US. */
async function check(tty: Tty, guard: TelnetdGuard, peer: LoginPeer, user: string, given: string, tries: number): Promise<boolean> {
  const budget = guard.budget;
  const give_up_at = hal.now_us() + GUESS_WAIT_MAX_US;
  for (;;) {
    const now = hal.now_us();
    const admission = budget.admit(peer.source, now);
    if (admission === "checked") break;
    const wait = budget.wait_us(peer.source, now);
    if (tty.hung_up || now + wait > give_up_at) {
      budget.refused(admission);
      const why = admission === "held_off" ? "this address failed too often" : "too many login attempts";
      guard.log(KERN_NOTICE, `telnetd: login from ${peer.name} refused unchecked: ${why}`);
      tty.write(`Login refused: ${why}; try again later.\n`);
      return false;
    }
    // At least a millisecond: the bucket's fractions must not make this spin.
    await wait_event_timeout(tty.wq, () => tty.hung_up, Math.max(1000, wait));
  }
  const answer_at = hal.now_us() + ANSWER_DELAY_US;
  // Both compared in full: the time taken does not tell which part was wrong.
  const user_ok = same_secret(user, LOGIN_USER);
  const password_ok = same_secret(given, guard.options.password);
  const ok = user_ok && password_ok;
  budget.settle(peer.source, ok, hal.now_us());
  if (!ok) guard.log(KERN_NOTICE, `telnetd: FAILED LOGIN (${tries}/${LOGIN_TRIES}) from ${peer.name} for '${user.slice(0, 32)}'`);
  await wait_event_timeout(tty.wq, () => tty.hung_up, Math.max(0, answer_at - hal.now_us()));
  if (!ok) tty.write("Login incorrect\n");
  return ok && !tty.hung_up;
}

/**
 * One line of input, byte by byte so nothing typed after it is taken from
 * the shell; null on Ctrl-C or hangup.
 */
async function read_input(tty: Tty, echo: boolean): Promise<string | null> {
  const byte = new Uint8Array(1);
  let line = "";
  for (;;) {
    if ((await tty.read(byte)) === 0) return null;
    const c = byte[0];
    if (c === CR || c === LF) {
      if (echo) tty.write("\n");
      return line;
    }
    if ((c === BACKSPACE || c === DEL) && line.length > 0) {
      line = line.slice(0, -1);
      if (echo) tty.write("\b \b");
    } else if (c >= 0x20 && c < 0x7f && line.length < MAX_INPUT) {
      line += String.fromCharCode(c);
      if (echo) tty.write(String.fromCharCode(c));
    }
  }
}

/** Compare without returning early, so the time taken does not tell how much matched. */
function same_secret(given: string, secret: string): boolean {
  let diff = given.length ^ secret.length;
  for (let i = 0; i < secret.length; i++) diff |= (given.charCodeAt(i) | 0) ^ secret.charCodeAt(i);
  return diff === 0;
}
