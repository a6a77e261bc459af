// The panel's readers of `napi` and `ps` output, on text in the kernel's formats.
import assert from "assert";
import { parse_napi, parse_ps } from "../../tools/web/guest_stats_parse";

describe("web: guest figures from shell output", () => {
  it("sums NAPI polls over instances and reads processed and time_squeeze", () => {
    const text = [
      "napi\r",
      "  ID DEVICE     STATE          WEIGHT     POLLS      WORK  EXHAUSTED\r",
      "   1 eth0       IDLE               64        30        25          2\r",
      "   2 eth1       SCHED|MISSED       64         4         9          1\r",
      "budget 300 packets / 2000 us per round; rounds 12, processed 34, time_squeeze 3\r",
      "",
    ].join("\n");
    assert.deepStrictEqual(parse_napi(text), new Map([["NAPI packets", 34], ["time_squeeze", 3], ["NAPI polls", 34]]));
  });

  it("reads each thread's CPU time in ms, named with its pid", () => {
    const text = [
      "  PID STAT        TIME SWITCHES  WAKEUPS COMMAND",
      "    0 I       0.379123        5        0 swapper",
      "    5 D       0.261000       40       39 irq/11-eth0",
      "napkin# ",
    ].join("\r\n");
    assert.deepStrictEqual(parse_ps(text), new Map([["  cpu ms swapper (0)", 379], ["  cpu ms irq/11-eth0 (5)", 261]]));
  });
});
