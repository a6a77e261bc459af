// Memory pressure on the simulated machine: the heap near its limit makes
// memory short (with hysteresis), new sockets are refused and counted while
// it is, and `mem` says so.
import { strict as assert } from "assert";
import { dmesg_text } from "../../kernel/log";
import { mem_pressure_stats, mem_refuse_new, mem_short, mm_pressure_init } from "../../kernel/mm/pressure";
import { boot, fresh_sim, type_line } from "./helpers";

const MiB = 1024 * 1024;
const LIMIT = 56 * MiB; // the simulated machine's js_limit
const MARGIN = LIMIT / 8;

describe("kernel: memory pressure", () => {
  it("is short within an eighth of the limit, and stays short until well below", () => {
    const sim = fresh_sim();
    mm_pressure_init();
    sim.heap_used_bytes = LIMIT - MARGIN - 1;
    assert.equal(mem_short(), false);
    assert.equal(mem_refuse_new(), false);
    sim.heap_used_bytes = LIMIT - MARGIN;
    assert.equal(mem_short(), true);
    assert.match(dmesg_text(), /mm: memory is short \(50176 KiB of 57344 KiB in use\): new connections are refused until below 46592 KiB/);
    assert.equal(mem_refuse_new(), true);
    assert.equal(mem_refuse_new(), true);
    sim.heap_used_bytes = LIMIT - MARGIN - MiB; // freed a little: not enough
    assert.equal(mem_short(), true);
    sim.heap_used_bytes = LIMIT - MARGIN - MARGIN / 2 - 1;
    assert.equal(mem_short(), false);
    assert.match(dmesg_text(), /mm: memory pressure over after 0\.0 s \(\d+ KiB in use\); 2 refused so far/);
    const stats = mem_pressure_stats();
    assert.equal(stats.episodes, 1);
    assert.equal(stats.refused, 2);
  });

  it("shows in mem", async () => {
    const { sim } = await boot();
    assert.match(await type_line(sim, "mem"), /pressure: none \(short above 50176 KiB in use\); times short: 0, new sockets refused: 0/);
    sim.heap_used_bytes = LIMIT - MiB;
    mem_refuse_new();
    assert.match(
      await type_line(sim, "mem"),
      /pressure: SHORT: new connections are refused until below 46592 KiB in use; times short: 1, new sockets refused: 1/,
    );
  });
});
