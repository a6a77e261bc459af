// The page's readers of napkin's shell output, on text in the kernel's formats.
import assert from "assert";
import { parse_interrupts, parse_link, parse_napi, parse_ps, parse_softnet_time_squeeze } from "../../tools/web/guest_stats_parse";

describe("web: guest figures from shell output", () => {
  it("sums NAPI polls over instances and reads the packets processed", () => {
    const text = [
      "napi\r",
      "  ID DEVICE     STATE          WEIGHT     POLLS      WORK  EXHAUSTED GRO_MERGED\r",
      "   1 eth0       IDLE               64        30        25          2         17\r",
      "   2 eth1       SCHED|MISSED       64         4         9          1          0\r",
      "budget 300 packets / 2000 us per round; rounds 12, processed 34, time_squeeze 3\r",
      "",
    ].join("\n");
    assert.deepStrictEqual(
      parse_napi(text),
      new Map([
        ["NAPI packets", 34],
        ["NAPI polls", 34],
      ]),
    );
  });

  it("reads time_squeeze from softnet_stat's third hex column", () => {
    const text =
      "cat /proc/net/softnet_stat\r\n0000a3f1 00000000 0000001c 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000\r\n";
    assert.strictEqual(parse_softnet_time_squeeze(text), 0x1c);
    assert.ok(Number.isNaN(parse_softnet_time_squeeze("cat: /proc/net/softnet_stat: No such file\r\n")));
  });

  it("reads each thread's CPU time in ms, named with its pid", () => {
    const text = [
      "  PID STAT        TIME SWITCHES  WAKEUPS COMMAND",
      "    0 I       0.379123        5        0 swapper",
      "    5 D       0.261000       40       39 irq/11-eth0",
      "napkin# ",
    ].join("\r\n");
    assert.deepStrictEqual(
      parse_ps(text),
      new Map([
        ["cpu ms swapper (0)", 379],
        ["cpu ms irq/11-eth0 (5)", 261],
      ]),
    );
  });

  it("reads each IRQ line's count and which handlers own it", () => {
    const text = [
      "           CPU0",
      "  0:       2612   XT-PIC",
      "  4:         37   XT-PIC  serial",
      " 11:       9120   XT-PIC  eth0, eth1",
      "ERR:          0",
      "SPU:          0   Spurious interrupts",
    ].join("\r\n");
    assert.deepStrictEqual(parse_interrupts(text), {
      totals: new Map([
        ["guest IRQ 0", 2612],
        ["guest IRQ 4", 37],
        ["guest IRQ 11", 9120],
      ]),
      owners: new Map([
        [4, "serial"],
        [11, "eth0, eth1"],
      ]),
    });
  });

  it("reads a device's receive mode, packets taken in and stack drops from ip -s link", () => {
    const text = [
      "2: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 state UP mode interrupt",
      "    link/ether 52:54:00:12:34:56",
      "    RX: bytes      packets    errors     dropped",
      "    959755     15977      0          0",
      "    TX: bytes      packets    errors     dropped",
      "    102035     1388       0          0",
      "    IRQ/NAPI: irqs       polls      work       budget_out",
      "    550        1437       15977      53",
      "    stack drops: 14606 (socket_rejected 14606)",
      "",
    ].join("\r\n");
    assert.deepStrictEqual(parse_link(text), {
      mode: "interrupt",
      totals: new Map([
        ["rx packets", 15977],
        ["stack drops", 14606],
      ]),
    });
    assert.deepStrictEqual(parse_link('Device "eth9" does not exist.\r\n'), { mode: null, totals: new Map() });
  });
});
