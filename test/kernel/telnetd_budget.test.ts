// telnetd's limits on their own, on a clock the test turns: the token
// bucket, the password-guessing budget over sources, and the pre-login slots.
import { strict as assert } from "assert";
import {
  FREE_FAILURES,
  GUESS_BURST,
  GUESS_RATE_PER_S,
  GuessBudget,
  hold_off_us,
  MAX_SOURCES,
} from "../../kernel/services/telnetd/guess_budget";
import { Startup, StartupSlots } from "../../kernel/services/telnetd/startup_slots";
import { TokenBucket } from "../../kernel/services/telnetd/token_bucket";

const SECOND = 1_000_000;

describe("telnetd: token bucket", () => {
  it("lets a burst through at once, then the rate and no more", () => {
    const bucket = new TokenBucket(2, 4, 0);
    let taken = 0;
    for (let i = 0; i < 10; i++) if (bucket.take(0)) taken++;
    assert.equal(taken, 4, "the burst");
    assert.equal(bucket.take(SECOND / 2 - 1), false, "no token before its time");
    assert.equal(bucket.take(SECOND / 2), true, "one token each half second");
    // Asked every millisecond for a minute: burst + rate x time, not one more.
    taken = 0;
    for (let t = SECOND; t <= 61 * SECOND; t += 1000) if (bucket.take(t)) taken++;
    assert.ok(taken <= 1 + 2 * 60 && taken >= 2 * 60 - 1, `${taken} tokens in 60 s`);
  });

  it("keeps tokens back from a caller that must leave some, and says how long to wait", () => {
    const bucket = new TokenBucket(2, 4, 0);
    assert.ok(bucket.take(0, 2) && bucket.take(0, 2), "two of four may go");
    assert.equal(bucket.take(0, 2), false, "the last two are kept");
    assert.equal(bucket.wait_us(0, 2), SECOND / 2, "a third token half a second later");
    assert.ok(bucket.take(0), "a caller that keeps nothing takes a kept token");
    assert.equal(bucket.wait_us(0, 4), Infinity, "more than the burst never comes");
  });

  it("does not fill for a peek into the future", () => {
    const bucket = new TokenBucket(2, 4, 0);
    for (let i = 0; i < 4; i++) bucket.take(0);
    assert.equal(bucket.tokens(10 * SECOND), 4);
    assert.equal(bucket.take(0), false, "looking ahead spent nothing and gave nothing");
  });
});

describe("telnetd: guessing budget", () => {
  it("checks at most the burst plus the rate over any stretch, however many sources guess", () => {
    const budget = new GuessBudget(0);
    // 50 sources, 1000 guesses a second between them, every guess wrong.
    for (let t = 0, i = 0; t < 60 * SECOND; t += 1000, i++) {
      const source = 0x0a000100 + (i % 50);
      if (budget.admit(source, t) === "checked") budget.settle(source, false, t);
    }
    assert.ok(budget.checked <= GUESS_BURST + GUESS_RATE_PER_S * 60, `${budget.checked} checked in 60 s`);
    assert.ok(budget.checked > 0);
  });

  it("holds a failing source off longer after each failure, and forgets on a login", () => {
    const budget = new GuessBudget(0);
    const a = 0x0a000242;
    let t = 0;
    for (let i = 0; i < FREE_FAILURES; i++) {
      assert.equal(budget.admit(a, t), "checked");
      budget.settle(a, false, t);
      t += SECOND; // the bucket refills meanwhile: only the hold-off is tested
    }
    assert.equal(budget.held_off_until(a), t - SECOND, "free failures cost nothing");
    assert.equal(budget.admit(a, t), "checked");
    budget.settle(a, false, t);
    assert.equal(hold_off_us(FREE_FAILURES + 1), SECOND);
    assert.equal(budget.admit(a, t + SECOND - 1), "held_off");
    assert.equal(budget.wait_us(a, t + SECOND - 1), 1);
    assert.equal(budget.admit(a, t + SECOND), "checked");
    budget.settle(a, false, t + SECOND);
    assert.equal(budget.held_off_until(a), t + 3 * SECOND, "the hold-off doubled");
    assert.ok(hold_off_us(100) <= 60 * SECOND, "and is capped");
    assert.equal(budget.admit(a, t + 3 * SECOND), "checked");
    budget.settle(a, true, t + 3 * SECOND);
    assert.equal(budget.sources.has(a), false, "a login clears the record");
    assert.equal(budget.logins, 1);
  });

  it("keeps the last tokens for a source without failures while failing sources drain the rest", () => {
    const budget = new GuessBudget(0);
    const attackers = Array.from({ length: 20 }, (_, i) => 0x0a000300 + i);
    const user = 0x0a000202;
    let user_checked = 0;
    for (let t = 0, i = 0; t < 60 * SECOND; t += 1000, i++) {
      const source = attackers[i % attackers.length];
      if (budget.admit(source, t) === "checked") budget.settle(source, false, t);
      // Once every attacker has failed, the user, trying every 3 s, always finds a token.
      const all_failed = attackers.every((a) => budget.sources.has(a));
      if (all_failed && t % (3 * SECOND) === 0) {
        assert.equal(budget.admit(user, t), "checked", `user at ${t / SECOND} s`);
        user_checked++;
      }
    }
    assert.ok(user_checked >= 10, `the user got in ${user_checked} times`);
    assert.ok(budget.checked <= GUESS_BURST + GUESS_RATE_PER_S * 60, "and all of it within the budget");
  });

  it("counts refusals by reason, and remembers at most MAX_SOURCES sources", () => {
    const budget = new GuessBudget(0);
    budget.refused("held_off");
    budget.refused("over_budget");
    budget.refused("over_budget");
    assert.equal(budget.refused_held_off, 1);
    assert.equal(budget.refused_over_budget, 2);
    for (let i = 0; i < MAX_SOURCES + 10; i++) budget.settle(0x0b000000 + i, false, i);
    assert.equal(budget.sources.size, MAX_SOURCES);
    assert.equal(budget.sources.has(0x0b000000), false, "the oldest made room");
    assert.equal(budget.sources.has(0x0b000000 + MAX_SOURCES + 9), true);
  });
});

describe("telnetd: pre-login slots", () => {
  const A = 1,
    B = 2,
    C = 3;
  const evicted: Startup[] = [];
  const startup = (source: number): Startup => {
    const s: Startup = { source, evict: () => evicted.push(s) };
    return s;
  };
  beforeEach(() => (evicted.length = 0));

  it("gives a newcomer from elsewhere the oldest slot of the source holding them all", () => {
    const slots = new StartupSlots(4);
    const a = [startup(A), startup(A), startup(A), startup(A)];
    for (const s of a) assert.ok(slots.admit(s));
    assert.equal(slots.admit(startup(A)), false, "the same source is refused: it would only replace itself");
    const b = startup(B);
    assert.ok(slots.admit(b));
    assert.deepEqual(evicted, [a[0]]);
    assert.equal(slots.count, 4);
    assert.equal(slots.refused, 1);
    assert.equal(slots.evicted, 1);
  });

  it("evens the slots out between sources and then refuses", () => {
    const slots = new StartupSlots(4);
    for (let i = 0; i < 3; i++) slots.admit(startup(A));
    slots.admit(startup(B));
    assert.ok(slots.admit(startup(B)), "A holds 3, B 1: B takes one of A's");
    assert.equal(slots.admit(startup(B)), false, "2 and 2: fair already");
    assert.ok(slots.admit(startup(C)), "a third source still gets in");
    assert.equal(evicted.length, 2);
  });

  it("frees a slot when its connection logs in or goes", () => {
    const slots = new StartupSlots(1);
    const a = startup(A);
    slots.admit(a);
    slots.release(a);
    slots.release(a); // twice is harmless
    assert.ok(slots.admit(startup(A)));
    assert.equal(evicted.length, 0);
  });
});
