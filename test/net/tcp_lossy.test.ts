import * as assert from "assert";
import * as fs from "fs";
import { Simulation, pattern, transfer } from "./harness";

describe("net: TCP over a lossy link", () => {
  it("moves 1 MiB byte-exact at 10% loss with reordering, duplication and corruption", function () {
    this.timeout(20000);
    const sim = new Simulation(
      { drop: 0.1, reorder: 0.05, duplicate: 0.02, corrupt: 0.01, delay_us: 5_000, reorder_delay_us: 7_000, seed: 42 },
      true,
    );
    const data = pattern(1 << 20, 7);
    const received = transfer(sim, data, 3_600_000_000);
    assert.ok(Buffer.compare(Buffer.from(received), Buffer.from(data)) === 0, "payload differs");
    const stats = sim.link.a.stats;
    assert.ok(stats.dropped > 50 && stats.reordered > 10, "faults were injected");
    fs.mkdirSync("test-artifacts", { recursive: true });
    fs.writeFileSync("test-artifacts/tcp_lossy.pcap", sim.capture!.bytes());
  });

  it("moves 1 MiB quickly on a clean link", () => {
    const sim = new Simulation({ delay_us: 1_000 });
    const data = pattern(1 << 20, 3);
    const received = transfer(sim, data, 60_000_000);
    assert.ok(Buffer.compare(Buffer.from(received), Buffer.from(data)) === 0, "payload differs");
    assert.ok(sim.now < 10_000_000, `clean transfer took ${sim.now} us of simulated time`);
  });
});
