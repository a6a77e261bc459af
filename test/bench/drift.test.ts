// The soak's drift: a level that holds reads as holding however the samples
// swing, and one that climbs reads as climbing.
import { strict as assert } from "assert";
import { describe_drift, drift } from "../../tools/benches/soak/drift";

const every_30_s = (values: number[]) => values.map((value, i) => ({ t_s: 300 + 30 * i, value }));

describe("soak drift", () => {
  it("finds a level that holds under samples swinging by a fifth, even when the last sample is low", () => {
    const swinging = Array.from({ length: 50 }, (_, i) => 4000 + (i % 2 === 0 ? 400 : -400) + (i % 7) * 10);
    swinging[49] = 3300;
    const d = drift(every_30_s(swinging))!;
    assert.ok(Math.abs(d.level_last - d.level_first) / d.level_first < 0.05, describe_drift("heap", d));
    assert.equal(d.first, 4400);
    assert.equal(d.last, 3300);
  });

  it("finds a leak: 10 a sample is 20 a minute, and the level climbs by that", () => {
    const d = drift(every_30_s(Array.from({ length: 21 }, (_, i) => 1000 + 10 * i)))!;
    assert.equal(d.slope_per_min.toFixed(6), "20.000000");
    assert.equal(d.level_first.toFixed(6), "1000.000000");
    assert.equal(d.level_last.toFixed(6), "1200.000000");
    assert.match(describe_drift("heap", d), /trend \+20\.0\/min, level 1000 -> 1200 \(\+20\.0%\)$/);
  });

  it("says so when there are too few samples", () => {
    assert.equal(drift(every_30_s([5])), null);
    assert.equal(describe_drift("heap", null), "heap: too few samples after warm-up");
  });
});
