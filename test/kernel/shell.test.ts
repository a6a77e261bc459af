import { strict as assert } from "assert";
import { dmesg_text } from "../../kernel/log";
import { command_list, register_command } from "../../kernel/services/shell/command";
import { PROMPT } from "../../kernel/services/shell/shell";
import { NAPKIN_VERSION } from "../../kernel/version";
import { boot, settle, type_line } from "./helpers";

/** What the shell printed for a line, without the echo and the next prompt. */
async function run(sim: Parameters<typeof type_line>[0], line: string): Promise<string> {
  const out = await type_line(sim, line);
  return out
    .slice(0, out.lastIndexOf(PROMPT))
    .replace(/\r\n/g, "\n")
    .replace(line + "\n", "");
}

describe("kernel: console shell", () => {
  it("boots with a banner and a prompt", async () => {
    const { sim } = await boot();
    assert.match(sim.output, new RegExp(`napkin ${NAPKIN_VERSION.replace(/\./g, "\\.")} \\(sim\\): 128 MiB RAM, booted in [\\d.]+ ms`));
    assert.ok(sim.output.endsWith(PROMPT));
  });

  it("help lists every command with its description", async () => {
    const { sim } = await boot();
    const out = await run(sim, "help");
    for (const name of ["help", "uptime", "mem", "dmesg", "echo", "reboot", "poweroff", "ps", "sleep", "irqs", "cat", "timers", "sysrq"]) {
      assert.match(out, new RegExp(`^  ${name}\\b.* {2}\\S`, "m"), `help lacks ${name}`);
    }
    assert.equal(out.trim().split("\n").length, command_list().length);
  });

  it("echo, and a one-line error for an unknown command", async () => {
    const { sim } = await boot();
    assert.equal(await run(sim, "echo  hello   napkin "), "hello napkin\n");
    assert.equal(await run(sim, "frobnicate now"), "napkin: frobnicate: command not found\n");
    assert.equal(await run(sim, ""), "");
  });

  it("edits the line: backspace, DEL and Ctrl-U", async () => {
    const { sim } = await boot();
    assert.match(await type_line(sim, "echp\bo ab\x7fc"), /\r\nac\r\n/);
    assert.match(await type_line(sim, "rm -rf /\x15echo safe"), /\r\nsafe\r\n/);
  });

  it("Ctrl-C cancels the line being typed", async () => {
    const { sim } = await boot();
    const start = sim.output.length;
    sim.type("echo never");
    await settle(sim);
    sim.type("\x03");
    await settle(sim, () => sim.output.endsWith(PROMPT) && sim.output.length > start + 12);
    assert.equal(sim.output.slice(start), "echo never^C\r\n" + PROMPT);
  });

  it("recalls history with the up and down arrows", async () => {
    const { sim } = await boot();
    await type_line(sim, "echo one");
    await type_line(sim, "echo two");
    assert.match(await type_line(sim, "\x1b[A\x1b[A"), /\r\none\r\n/);
    assert.match(await type_line(sim, "\x1b[A\x1b[A\x1b[B"), /\r\none\r\n/); // newest is now "echo one"
    assert.match(await type_line(sim, "\x1bOA"), /\r\none\r\n/); // application-mode arrows
    assert.match(await type_line(sim, "echo dr\x1b[A\x1b[Baft"), /\r\ndraft\r\n/); // down returns to the draft
  });

  it("rejects a 10 KB line with a clear error and a fresh prompt", async () => {
    const { sim } = await boot();
    const start = sim.output.length;
    sim.type("x".repeat(10 * 1024) + "\r");
    await settle(sim, () => sim.output.endsWith(PROMPT) && sim.output.length > start + 1024);
    const out = sim.output.slice(start);
    assert.equal(out.length, 1024 + "\r\nnapkin: line too long (more than 1024 bytes), ignored\r\nnapkin# ".length);
    assert.match(out, /napkin: line too long \(more than 1024 bytes\), ignored\r\nnapkin# $/);
    assert.equal(await run(sim, "echo still here"), "still here\n");
  });

  it("survives random bytes and answers afterwards", async () => {
    const { sim } = await boot();
    let seed = 42;
    const garbage: number[] = [];
    for (let i = 0; i < 20_000; i++) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      garbage.push(seed >>> 24);
    }
    sim.type(garbage);
    await settle(sim, () => sim.com1_backlog() === 0);
    sim.type("\x03"); // whatever half-typed line is left
    await settle(sim);
    assert.equal(sim.stopped, null);
    assert.equal(await run(sim, "echo alive"), "alive\n");
  });

  it("reads a burst longer than one interrupt's budget", async () => {
    const { sim } = await boot();
    const word = "a".repeat(900);
    assert.equal(await run(sim, "echo " + word), word + "\n");
  });

  it("ps lists threads with PID, STAT, TIME and COMMAND", async () => {
    const { sim } = await boot();
    const out = await run(sim, "ps");
    assert.match(out, /^\s+PID STAT\s+TIME SWITCHES\s+WAKEUPS COMMAND$/m);
    assert.match(out, /^\s+0 I\s+\d+\.\d{6}\s+\d+\s+\d+ swapper$/m);
    assert.match(out, /^\s+\d+ D\s+\d+\.\d{6}\s+\d+\s+\d+ irq\/4-serial$/m);
    assert.match(out, /^\s+\d+ R\s+\d+\.\d{6}\s+\d+\s+\d+ sh$/m);
  });

  it("sleep 0.25 lets 250 ms of (fake) time pass", async () => {
    const { sim } = await boot();
    const before = sim.now_us();
    await run(sim, "sleep 0.25");
    assert.ok(sim.now_us() - before >= 250_000);
    assert.equal(await run(sim, "sleep soon"), "usage: sleep SECONDS\n");
  });

  it("Ctrl-C interrupts a running sleep", async () => {
    const { sim } = await boot();
    const before = sim.now_us();
    sim.at(before + 1_000_000, () => sim.type("\x03"));
    assert.equal(await run(sim, "sleep 100"), "^C\n");
    assert.equal(sim.now_us() - before, 1_000_000);
  });

  it("cat reads /proc files; irqs, timers, uptime, mem and dmesg report", async () => {
    const { sim } = await boot();
    assert.match(await run(sim, "cat /proc/interrupts"), /^\s+4:\s+\d+\s+XT-PIC\s+serial$/m);
    assert.equal(await run(sim, "cat /proc/nope"), "cat: /proc/nope: No such file or directory\n");
    assert.match(await run(sim, "cat"), /\/proc\/uptime/);
    assert.match(await run(sim, "cat /proc/meminfo"), /^MemTotal:\s+131072 kB$/m);
    assert.match(await run(sim, "irqs"), /serial/);
    await run(sim, "sleep 0.01");
    assert.match(await run(sim, "timers"), /lateness p99:\s+0 us/);
    assert.match(await run(sim, "uptime"), /^up \d+\.\d{6} s/);
    assert.match(await run(sim, "mem"), /^physical: 131072 KiB/m);
    assert.match(await run(sim, "dmesg"), /^\[\s+0\.000000\] napkin/);
  });

  it("sysrq c: an oops in a thread is reported and the shell goes on", async () => {
    const { sim } = await boot();
    await type_line(sim, "sysrq c");
    assert.match(sim.output, /Oops: uncaught exception in thread sysrq-crash/);
    assert.match(dmesg_text(), /TypeError/);
    assert.equal(await run(sim, "echo ok"), "ok\n");
  });

  it("sysrq l: a soft lockup is caught by the watchdog and the shell goes on", async () => {
    const { sim } = await boot();
    await type_line(sim, "sysrq l");
    assert.match(sim.output, /watchdog: BUG: soft lockup - CPU#0 stuck for .*\[sysrq-lockup:\d+\]/);
    assert.equal(await run(sim, "echo ok"), "ok\n");
    assert.doesNotMatch(await run(sim, "ps"), /sysrq-lockup/);
  });

  it("restarts the shell when a command trips the watchdog", async () => {
    const { sim } = await boot();
    register_command({
      name: "spin",
      usage: "spin",
      description: "test only: spin on the clock forever",
      run() {
        for (;;) sim.now_us();
      },
    });
    await type_line(sim, "spin");
    assert.match(sim.output, /soft lockup - CPU#0 stuck for .*\[sh:\d+\]/);
    assert.match(sim.output, /sh on ttyS0 died, restarting it/);
    assert.equal(await run(sim, "echo back"), "back\n");
  });

  it("sysrq t dumps the threads to the log; sysrq alone lists the keys", async () => {
    const { sim } = await boot();
    await run(sim, "sysrq t");
    assert.match(dmesg_text(), /sysrq: Show State[\s\S]*swapper/);
    assert.match(await run(sim, "sysrq"), /c\s+crash/);
  });

  it("poweroff and reboot reach the HAL", async () => {
    let { sim } = await boot();
    await type_line(sim, "poweroff");
    assert.equal(sim.stopped, 0);
    ({ sim } = await boot());
    await type_line(sim, "reboot");
    assert.equal(sim.stopped, "reboot");
  });
});
