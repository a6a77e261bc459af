// Boot tests for the kernel core: threads, timers, IRQs and containment, on
// the real image in v86.
import { strict as assert } from "assert";
import { SerialConsole } from "./serial_console";

describe("boot: kernel core", function () {
  this.timeout(120_000);
  let con: SerialConsole;

  before(async () => {
    con = await SerialConsole.boot();
  });
  after(async () => {
    await con?.close();
  });

  it("ps lists named threads with states and CPU time", async () => {
    const out = await con.run("ps");
    assert.match(out, /PID\s+STAT\s+TIME/);
    for (const name of ["swapper", "sh", "irq/4-serial", "napi_handler", "netns_poll/init_net"]) {
      assert.match(
        out,
        new RegExp(`^\\s*\\d+ [RSDIZ]\\s+\\d+\\.\\d+ .*${name.replace("/", "\\/")}$`, "m"),
        `ps should show ${name}:\n${out}`,
      );
    }
  });

  it("sleep 0.25 takes a quarter of a second of guest time", async () => {
    const before = Number((await con.run("cat /proc/uptime")).split(/\s+/)[0]);
    await con.run("sleep 0.25");
    const after = Number((await con.run("cat /proc/uptime")).split(/\s+/)[0]);
    assert.ok(after - before >= 0.25, `uptime moved ${after - before} s`);
  });

  it("records timer lateness", async () => {
    const out = await con.run("timerlat -c 20 -p 1000");
    const m = out.match(/20 wakeups of 1000 us: lateness p50 (\d+) us, p99 (\d+) us, max (\d+) us/);
    assert.ok(m, out);
    assert.ok(Number(m[1]) <= Number(m[2]) && Number(m[2]) <= Number(m[3]));
    assert.match(await con.run("timers"), /lateness p50:\s+\d+/);
  });

  it("counts interrupts per line", async () => {
    const serial_irqs = async () => Number((await con.run("cat /proc/interrupts")).match(/^\s*4:\s+(\d+)\s+XT-PIC\s+serial$/m)![1]);
    const a = await serial_irqs();
    await con.run("echo typing makes serial interrupts");
    const b = await serial_irqs();
    assert.ok(b > a, `IRQ 4 count went from ${a} to ${b}`);
  });

  it("contains an oops in a kernel thread", async () => {
    await con.run("sysrq c");
    await con.wait_for(/Oops: uncaught exception in thread sysrq-crash/, 0);
    assert.equal((await con.run("echo still alive")).trim().split("\n").pop(), "still alive");
    assert.doesNotMatch(await con.run("ps"), /sysrq-crash/);
  });

  it("reports and kills a thread in a soft lockup", async () => {
    const start = con.output.length;
    await con.run("sysrq l");
    await con.wait_for(/watchdog: BUG: soft lockup - CPU#0 stuck for [\d.]+s! \[sysrq-lockup:\d+\]/, start, 30_000);
    assert.match(await con.run("echo shell answers"), /shell answers/);
    assert.doesNotMatch(await con.run("ps"), /sysrq-lockup/);
  });

  it("stops with a full report on a CPU fault, and the harness shows it", async () => {
    await assert.rejects(con.run("sysrq x"), (error: Error) => {
      assert.match(error.message, /CPU exception 6 \(invalid opcode\)/);
      assert.match(error.message, /thread: sh/);
      assert.match(error.message, /eip=[0-9a-f]{8}/);
      return true;
    });
    assert.equal((await con.vm.wait_exit()).code, 3);
  });
});
