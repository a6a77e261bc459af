// The statistics every figure of the comparison goes through.
import { strict as assert } from "assert";
import { figure, median, percentile } from "../../tools/benches/versus/stats";

describe("bench statistics", () => {
  it("takes nearest-rank percentiles", () => {
    const samples = Array.from({ length: 200 }, (_, i) => 200 - i); // 200..1, unsorted
    assert.equal(percentile(samples, 50), 100);
    assert.equal(percentile(samples, 99), 198);
    assert.equal(percentile(samples, 100), 200);
    assert.equal(percentile([7], 99), 7);
    assert.ok(Number.isNaN(percentile([], 50)));
  });

  it("takes the median of odd and even counts", () => {
    assert.equal(median([3, 1, 2]), 2);
    assert.equal(median([4, 1, 3, 2]), 2.5);
  });

  it("reports the median run with the spread, leaving out runs that measured nothing", () => {
    assert.deepEqual(figure([5, null, 1, 9, NaN]), { median: 5, min: 1, max: 9, runs: [5, 1, 9] });
  });
});
