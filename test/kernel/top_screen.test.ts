// top's screen (kernel/services/shell/commands/top_screen.ts) from two
// samples: rates over the interval, the CPU split, threads by their share of
// it, and an 80x24 terminal's bounds.
import { strict as assert } from "assert";
import { format_screen, TopSample } from "../../kernel/services/shell/commands/top_screen";

function sample(at_s: number, counters: Partial<TopSample>, threads: [number, string, number][] = []): TopSample {
  return {
    at_us: at_s * 1e6,
    irqs: 0,
    rx_packets: 0,
    tx_packets: 0,
    hardirq_us: 0,
    softirq_us: 0,
    idle_us: 0,
    threads: threads.map(([pid, name, cpu_us]) => ({ pid, name, state: "waiting" as const, cpu_us, switches: pid * 10 })),
    ...counters,
  };
}

describe("top: the screen", () => {
  const before = sample(100, { irqs: 1000, rx_packets: 50, tx_packets: 40, hardirq_us: 5000, softirq_us: 9000, idle_us: 90e6 }, [
    [1, "sh", 2e6],
    [2, "napi_handler", 1e6],
    [3, "netns_poll/init_net", 5e5],
  ]);
  const now = sample(102, { irqs: 1400, rx_packets: 250, tx_packets: 240, hardirq_us: 25_000, softirq_us: 49_000, idle_us: 91.8e6 }, [
    [1, "sh", 2.01e6],
    [2, "napi_handler", 1.1e6],
    [3, "netns_poll/init_net", 5e5],
    [4, "top", 3e4],
  ]);
  const lines = format_screen(before, now, Date.UTC(2026, 10, 29, 9, 8, 7));

  it("heads the screen with uptime, threads, the CPU split and the rates of the interval", () => {
    assert.equal(lines[0], "top - 09:08:07 up 0:01:42, 4 threads: 0 running, 4 sleeping");
    assert.equal(lines[1], "%Cpu: 7.0 threads, 1.0 hardirq, 2.0 softirq (NET_RX), 90.0 idle");
    assert.equal(lines[2], "IRQs/s: 200   packets/s: 100 rx, 100 tx");
  });

  it("lists the threads by their share of the interval, a new one by all its time", () => {
    assert.equal(lines[5], "  PID S  %CPU    TIME+ SWITCHES COMMAND");
    assert.deepEqual(lines.slice(6), [
      "    2 D   5.0  0:01.10       20 napi_handler",
      "    4 D   1.5  0:00.03       40 top",
      "    1 D   0.5  0:02.01       10 sh",
      "    3 D   0.0  0:00.50       30 netns_poll/init_net",
    ]);
  });

  it("fits 80x24 however many threads there are and however long their names", () => {
    const many = sample(
      1,
      {},
      Array.from({ length: 60 }, (_, i): [number, string, number] => [i + 1, `thread-${"x".repeat(i * 3)}`, i]),
    );
    const screen = format_screen(sample(0, {}), many, 0);
    assert.equal(screen.length, 23, "a line stays free for the cursor");
    assert.ok(screen.every((line) => line.length < 80));
  });
});
