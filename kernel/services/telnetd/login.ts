// login(1) for telnet sessions: a user name, a password without echo, and a
// growing delay after each failure (as pam_faildelay), at most LOGIN_TRIES
// tries per connection. Every failure is logged.
import { KERN_NOTICE, printk } from "../../log";
import { wait_event_timeout } from "../../sched/waitqueue";
import type { Tty } from "../../tty/tty";

export const LOGIN_USER = "root";
/** The development default when the command line gives no telnet_password=. */
export const DEFAULT_TELNET_PASSWORD = "napkin";
export const LOGIN_TRIES = 3;
/** The delay after the first failure; it doubles after each one. */
const FAIL_DELAY_US = 1_000_000;
const MAX_INPUT = 64;

const BACKSPACE = 0x08;
const DEL = 0x7f;
const CR = 0x0d;
const LF = 0x0a;

/** Ask for a user name and password on `tty`; true once someone logged in. */
export async function login(tty: Tty, password: string, peer: string): Promise<boolean> {
  let failures = 0;
  while (failures < LOGIN_TRIES && !tty.hung_up) {
    tty.write("napkin login: ");
    const user = await read_input(tty, true);
    if (user === null) continue; // Ctrl-C: ask again (or hung up: the loop ends)
    tty.write("Password: ");
    const given = await read_input(tty, false);
    tty.write("\n");
    if (given === null) continue;
    if (user === LOGIN_USER && same_secret(given, password)) return true;
    failures++;
    printk(KERN_NOTICE, `telnetd: FAILED LOGIN (${failures}/${LOGIN_TRIES}) from ${peer} for '${user.slice(0, 32)}'`);
    await wait_event_timeout(tty.wq, () => tty.hung_up, FAIL_DELAY_US << (failures - 1));
    tty.write("Login incorrect\n");
  }
  if (failures === LOGIN_TRIES) {
    tty.write("Too many failed logins.\n");
    printk(KERN_NOTICE, `telnetd: too many failed logins from ${peer}, closing`);
  }
  return false;
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
