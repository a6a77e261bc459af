// Boot tests: the real image in v86, driven over the serial console.
import { strict as assert } from "assert";
import { SerialConsole, PROMPT } from "./serial_console";

describe("boot: napkin on v86, serial shell", function () {
  this.timeout(120_000);
  let con: SerialConsole;

  before(async () => {
    con = await SerialConsole.boot({ mem_mib: 96 });
  });
  after(async () => {
    await con?.close();
  });

  it("prints a boot banner with version, memory and boot time", () => {
    assert.match(con.output, /napkin \d+\.\d+\.\d+/);
    assert.match(con.output, /96 MiB|98304 KiB/);
    assert.match(con.output, /boot(ed)? in [\d.]+ ?ms/i);
  });

  it("help lists the commands", async () => {
    const out = await con.run("help");
    for (const command of ["help", "uptime", "mem", "dmesg", "echo", "reboot", "poweroff"]) {
      assert.match(out, new RegExp(`^\\s*${command}\\b`, "m"), `help should list ${command}:\n${out}`);
    }
  });

  it("echo prints its arguments", async () => {
    assert.equal((await con.run("echo hello   napkin")).trim(), "hello napkin");
  });

  it("mem prints real figures from the runtime", async () => {
    const out = await con.run("mem");
    const numbers = (label: RegExp) => {
      const m = out.match(label);
      assert.ok(m, `mem output lacks ${label}:\n${out}`);
      return Number(m[1]);
    };
    assert.equal(numbers(/phys[^\d\n]*(\d+)\s*KiB/i), 96 * 1024);
    assert.ok(numbers(/heap[^\d\n]*(\d+)\s*KiB used/i) > 0);
    assert.ok(numbers(/js[^\d\n]*(\d+)\s*KiB/i) > 0);
  });

  it("uptime moves forward", async () => {
    const seconds = (s: string) => Number(s.match(/(\d+\.\d+)/)![1]);
    const a = seconds(await con.run("uptime"));
    await new Promise((r) => setTimeout(r, 300));
    const b = seconds(await con.run("uptime"));
    assert.ok(b > a, `uptime went from ${a} to ${b}`);
  });

  it("dmesg shows the kernel log with timestamps", async () => {
    assert.match(await con.run("dmesg"), /^\[\s*\d+\.\d{6}\] napkin/m);
  });

  it("an unknown command gets a one-line error", async () => {
    const out = await con.run("frobnicate now");
    assert.equal(out.trim(), "napkin: frobnicate: command not found");
  });

  it("survives random bytes and a 10 KB line, then answers", async () => {
    const garbage = new Uint8Array(4096);
    let seed = 12345;
    for (let i = 0; i < garbage.length; i++) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      garbage[i] = seed >>> 24;
    }
    con.send(garbage.filter((b) => b !== 0x0d && b !== 0x0a && b !== 0x01));
    con.send("\r");
    const start = con.output.length;
    con.send("x".repeat(10 * 1024) + "\r");
    await con.wait_for(/line too long|too long/i, start, 60_000);
    await con.wait_for(PROMPT, start, 60_000);
    assert.equal((await con.run("echo still here", 60_000)).trim(), "still here");
  });

  it("poweroff ends the machine with status 0", async () => {
    con.send("poweroff\r");
    const exit = await con.vm.wait_exit();
    assert.equal(exit.code, 0);
  });
});

describe("boot: reboot", function () {
  this.timeout(60_000);

  it("resets the machine", async () => {
    const con = await SerialConsole.boot();
    con.send("reboot\r");
    assert.deepEqual(await con.vm.wait_exit(), { code: null, reboot: true });
    assert.match(con.output, /Restarting system/);
  });
});
