// The page's sampler: rates between readings of each source, a gap (not a
// zero) while a source has nothing new, and a window of one minute.
import assert from "assert";
import { Reading, Sampler, WINDOW_MS } from "../../tools/web/sampler";

/** A source whose next reading the test sets by hand. */
function source(): { reading: Reading | null; read: () => Reading | null } {
  const s = { reading: null as Reading | null, read: () => s.reading };
  return s;
}

const reading = (at_ms: number, totals: Record<string, number>): Reading => ({ at_ms, totals: new Map(Object.entries(totals)) });

describe("web: sampler", () => {
  it("turns each source's running totals into per-second rates between its readings", () => {
    const host = source();
    const sampler = new Sampler([host.read]);
    host.reading = reading(1000, { frames: 100 });
    sampler.sample(1000);
    assert.strictEqual(sampler.rates.size, 0, "one reading gives no rate");
    host.reading = reading(1500, { frames: 400 });
    sampler.sample(1500);
    assert.strictEqual(sampler.rates.get("frames"), 600);
    assert.deepStrictEqual(sampler.series("frames"), [{ at_ms: 1500, value: 600 }]);
    assert.strictEqual(sampler.totals.get("frames"), 400);
  });

  it("adds no point while a source has nothing new, then one rate over the silence", () => {
    const host = source();
    const guest = source();
    const sampler = new Sampler([host.read, guest.read]);
    sampler.sample(0); // the guest has not answered yet
    guest.reading = reading(1000, { polls: 10 });
    for (let t = 1000; t <= 4000; t += 1000) {
      host.reading = reading(t, { irqs: t });
      sampler.sample(t); // the guest stays silent after its first answer
    }
    guest.reading = reading(5000, { polls: 90 });
    host.reading = reading(5000, { irqs: 5000 });
    sampler.sample(5000);
    assert.deepStrictEqual(sampler.series("polls"), [{ at_ms: 5000, value: 20 }]);
    assert.strictEqual(sampler.series("irqs").length, 4);
  });

  it("keeps one window of points and forgets names whose points all left it", () => {
    const guest = source();
    const sampler = new Sampler([guest.read]);
    guest.reading = reading(0, { "cpu ms a (1)": 0, "cpu ms b (2)": 0 });
    sampler.sample(0);
    guest.reading = reading(1000, { "cpu ms a (1)": 500, "cpu ms b (2)": 100 });
    sampler.sample(1000);
    guest.reading = reading(2000, { "cpu ms a (1)": 900 }); // b exited
    sampler.sample(2000);
    assert.deepStrictEqual([...sampler.totals.keys()], ["cpu ms a (1)"]);
    sampler.sample(1500 + WINDOW_MS);
    assert.deepStrictEqual([...sampler.history.keys()], ["cpu ms a (1)"]);
    assert.deepStrictEqual(sampler.series("cpu ms a (1)"), [{ at_ms: 2000, value: 400 }]);
  });
});
