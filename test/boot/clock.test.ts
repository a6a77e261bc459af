// The guest's clock is the TSC, calibrated against the PIT at boot. In v86
// both follow the host's clock, and a host may stop running the emulator
// for a while at any moment (a browser tab busy loading its page). Here the
// host stops for 80 ms in the middle of the calibration, longer than the
// PIT's 16-bit count lasts (55 ms): the clock must still keep the host's
// time, or every timer in the guest runs that many times too slow or fast.
import { strict as assert } from "assert";
import { performance } from "perf_hooks";
import { SerialConsole } from "./serial_console";

/** The PIT read (port 0x40) during which the host stops: early in the first calibration window. */
const STOP_AT_READ = 10;
const STOP_MS = 80;

/** Make the host stop running the emulator, `ms` long, inside the `n`th read of the PIT's counter. */
function stop_host_at_pit_read(emulator: any, n: number, ms: number): void {
  const pit = emulator.v86.cpu.devices.pit;
  const counter_read = pit.counter_read;
  let reads = 0;
  pit.counter_read = function (channel: number): number {
    if (++reads === n) {
      const until = performance.now() + ms;
      while (performance.now() < until);
    }
    return counter_read.call(this, channel);
  };
}

async function uptime_s(con: SerialConsole): Promise<number> {
  return Number((await con.run("cat /proc/uptime")).trim().split(/\s+/)[0]);
}

describe("boot: the clock, when the host stops the emulator during calibration", function () {
  this.timeout(120_000);
  let con: SerialConsole;

  before(async () => {
    con = await SerialConsole.boot({ nic: "none", on_loaded: (emulator) => stop_host_at_pit_read(emulator, STOP_AT_READ, STOP_MS) });
  });
  after(async () => {
    await con?.close();
  });

  it("keeps the host's time", async () => {
    const guest_before = await uptime_s(con);
    const host_before = performance.now();
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const guest_after = await uptime_s(con);
    const host_after = performance.now();
    const rate = (guest_after - guest_before) / ((host_after - host_before) / 1000);
    assert.ok(rate > 0.8 && rate < 1.25, `the guest's clock ran at ${rate.toFixed(3)}× the host's`);
  });
});
