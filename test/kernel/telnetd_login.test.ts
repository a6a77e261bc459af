// login(1) as telnetd runs it, on the simulated machine: each connection is
// a Tty and a thread running login(); the test types into the Tty and hangs
// it up at set simulated times, and reads what was answered and when.
import { strict as assert } from "assert";
import { hal } from "../../kernel/hal/current";
import type { SimHal } from "../../kernel/hal/sim";
import { kthread_run, sched_run_for } from "../../kernel/sched/sched";
import { TelnetdGuard } from "../../kernel/services/telnetd/guard";
import { GUESS_BURST, GUESS_RATE_PER_S } from "../../kernel/services/telnetd/guess_budget";
import { ANSWER_DELAY_US, login } from "../../kernel/services/telnetd/login";
import { Tty } from "../../kernel/tty/tty";
import { fresh_sim, run_idle } from "./helpers";

const PASSWORD = "s3cret";
const SECOND = 1_000_000;

/** One connection: what it was sent, when, and how its login ended. */
class Connection {
  readonly tty: Tty;
  /** Each write, with the simulated time it was made. */
  readonly writes: { at_us: number; text: string }[] = [];
  result: boolean | null = null;
  ended_at_us = -1;

  constructor(guard: TelnetdGuard, source: number, name: string) {
    this.tty = new Tty(name, (text) => this.writes.push({ at_us: hal.now_us(), text }));
    kthread_run(`login/${name}`, async () => {
      this.result = await login(this.tty, guard, { source, name });
      this.ended_at_us = hal.now_us();
    });
  }

  type(text: string): void {
    this.tty.receive(Uint8Array.from(text, (c) => c.charCodeAt(0)));
  }

  /** When `text` was first written at or after the write at `from`, and that write's index. */
  written(text: string, from = 0): { at_us: number; index: number } {
    const index = this.writes.findIndex((w, i) => i >= from && w.text.includes(text));
    assert.ok(index >= 0, `never wrote ${JSON.stringify(text)}: ${JSON.stringify(this.writes.map((w) => w.text).join(""))}`);
    return { at_us: this.writes[index].at_us, index };
  }
}

function new_guard(): TelnetdGuard {
  return new TelnetdGuard({ password: PASSWORD, max_sessions: 32, max_startups: 32, login_timeout_s: 20 });
}

describe("telnetd: login", function () {
  this.timeout(60_000);

  it("answers a right password exactly as late as a wrong one", async () => {
    fresh_sim();
    const conn = new Connection(new_guard(), 0x0a000202, "pts/0");
    conn.type("root\rwrong\rroot\r" + PASSWORD + "\r");
    await run_idle();
    assert.equal(conn.result, true);
    // The password line is taken when "\n" follows "Password: "; the answer comes later.
    const first_taken = conn.written("Password: ");
    const wrong_asked = conn.writes[first_taken.index + 1].at_us;
    const wrong_answered = conn.written("Login incorrect").at_us;
    const second_taken = conn.written("Password: ", first_taken.index + 1);
    const right_asked = conn.writes[second_taken.index + 1].at_us;
    const right_answered = conn.ended_at_us;
    assert.equal(wrong_answered - wrong_asked, ANSWER_DELAY_US);
    assert.equal(right_answered - right_asked, ANSWER_DELAY_US);
  });

  it("checks no more guesses than the budget from connections that hang up at once, and still lets the right password in", async () => {
    const sim = fresh_sim() as SimHal;
    const guard = new_guard();
    const conns: Connection[] = [];
    const attack_s = 30;
    // Every 50 ms a connection from one of five addresses sends a guess and hangs up 10 ms later.
    for (let t = 0, i = 0; t < attack_s * SECOND; t += 50_000, i++) {
      sim.at(t, () => {
        const c = new Connection(guard, 0x0a000340 + (i % 5), `pts/${i}`);
        c.type(`root\rguess${i}\r`);
        conns.push(c);
      });
      sim.at(t + 10_000, () => conns[i].tty.hangup());
    }
    // Meanwhile the user, from an address of their own, logs in.
    let user: Connection | null = null;
    sim.at(15 * SECOND, () => {
      user = new Connection(guard, 0x0a000202, "user");
      user.type(`root\r${PASSWORD}\r`);
    });
    await sched_run_for((attack_s + 1) * SECOND);
    await run_idle();
    const b = guard.budget;
    assert.equal(conns.length, attack_s * 20);
    assert.ok(b.checked <= GUESS_BURST + GUESS_RATE_PER_S * (attack_s + 1), `${b.checked} guesses checked in ${attack_s} s`);
    assert.equal(b.failures + b.logins, b.checked, "every checked guess was counted, hung up or not");
    assert.ok(b.refused_over_budget + b.refused_held_off > 0, "the rest were refused unchecked");
    assert.equal(user!.result, true, "the user logged in during the attack");
    assert.ok(user!.ended_at_us - 15 * SECOND <= ANSWER_DELAY_US + SECOND, "without waiting long");
  });
});
