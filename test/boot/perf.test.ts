// Boot tests for the profiler: perf top names real C and JS functions while
// the host pings, runs over telnet until Ctrl-C, perf boot shows where a
// boot with profile=boot went, and stage marks reach the host on the trace
// port.
import { strict as assert } from "assert";
import { TRACE_PORT } from "../../kernel/hal/hal";
import { TRACE_CALIBRATE } from "../../kernel/lib/trace";
import { IcmpSocket } from "../../net/socket/icmp";
import { ipv4 } from "../../net/wire/address";
import { HostStack } from "../../tools/hostnet/host_stack";
import { PortForward } from "../../tools/hostnet/port_forward";
import { perf_table } from "../../tools/benches/rig/perf_report";
import { V86Link } from "../../tools/hostnet/v86_link";
import { PROMPT, SerialConsole } from "./serial_console";
import { TelnetClient } from "./telnet_client";

const GUEST = "10.0.2.15";

/**
 * Pings the guest from the host until stopped, four echo requests in flight
 * at a time so that the guest is busy even when the host is slow; returns the
 * replies. A reply that is late (the guest still resolving the host's address,
 * say) is given up after 50 ms, so that one lost frame cannot idle the guest
 * for the whole of a short profile.
 */
async function ping_until(host: HostStack, stopped: () => boolean): Promise<number> {
  const IN_FLIGHT = 4;
  const socket = host.sockets.add_icmp(new IcmpSocket());
  socket.bind(0x5045);
  const reply = new Uint8Array(128);
  let replies = 0;
  for (let seq = 0; !stopped(); seq = (seq + IN_FLIGHT) & 0xffff) {
    for (let i = 0; i < IN_FLIGHT; i++) socket.send_echo(ipv4(GUEST), seq + i, new Uint8Array(56));
    host.poll();
    let answered = 0;
    for (const deadline = Date.now() + 50; answered < IN_FLIGHT && Date.now() < deadline && !stopped();) {
      await new Promise((resolve) => setImmediate(resolve));
      while (socket.recv_echo(reply) >= 0) answered++;
    }
    replies += answered;
  }
  host.sockets.remove_icmp(socket);
  return replies;
}

describe("boot: perf", function () {
  this.timeout(300_000);
  let con: SerialConsole;
  let host: HostStack;

  before(async () => {
    con = await SerialConsole.boot({ nic: "ne2k", cmdline: `ip=${GUEST}/24 gw=10.0.2.2 dhcp_timeout=0` });
    host = new HostStack(new V86Link(con.vm.emulator.bus), { address: "10.0.2.2/24" });
  });
  after(async () => {
    host?.stop();
    await con?.close();
  });

  it("perf top 1, while the host pings, names QuickJS's interpreter and the receive path's JS", async () => {
    let done = false;
    const pinging = ping_until(host, () => done);
    const report = await con.run("perf top 1", 60_000);
    done = true;
    assert.ok((await pinging) > 10, "the guest answered pings meanwhile");
    const m = report.match(/^perf top: (\d+) samples in ([\d.]+) s at 128 Hz: (\d+) busy, (\d+) idle \(\d+%\), \d+ lost$/m);
    assert.ok(m, report);
    assert.ok(Number(m[3]) >= 20, `enough busy samples:\n${report}`);
    const c = perf_table(report, "C function (kernel image)");
    const js = perf_table(report, "JS function (kernel bundle)");
    for (const rows of [c, js]) {
      assert.ok(rows.length > 0, report);
      assert.ok(
        rows.every((row, i) => row.share > 0 && (i === 0 || row.share <= rows[i - 1].share)),
        report,
      );
      // Each share is rounded to two places, so the sum may pass 100 by half a hundredth per row.
      const total = rows.reduce((sum, row) => sum + row.share, 0);
      assert.ok(total <= 100 + rows.length * 0.005, `shares add up to ${total.toFixed(2)}%:\n${report}`);
    }
    const interpreter = c.find((row) => row.name === "JS_CallInternal");
    assert.ok(interpreter && interpreter.share >= 10, `JS_CallInternal runs the kernel:\n${report}`);
    const receive_path =
      /^(poll_ingress_single|process_\w+|receive|net_rx_action|poll_napi|poll_egress|checksum\w*|transmit\w*) \(kernel\.js:\d+\)$/;
    assert.ok(
      js.some((row) => receive_path.test(row.name)),
      `a function of the receive path is sampled:\n${report}`,
    );
  });

  it("perf top over telnet refreshes until Ctrl-C, and the session goes on", async () => {
    const forward = new PortForward(host, ipv4(GUEST), { host_port: 0, guest_port: 23, bind: "127.0.0.1" });
    const t = await TelnetClient.connect(await forward.listen());
    try {
      await t.login("napkin");
      const from = t.text.length;
      t.send_line("perf top");
      const first = await t.wait_for(/perf top: \d+ samples/, from);
      await t.wait_for(/perf top: \d+ samples/, first);
      t.socket.write(Uint8Array.of(3));
      const end = await t.wait_for(PROMPT, first);
      assert.equal(t.text.slice(from, end).match(/perf top: /g)?.length, 3, "two refreshes, then the report of the stretch Ctrl-C cut");
      assert.match(await t.run("echo still here"), /still here/);
    } finally {
      t.socket.destroy();
      forward.close();
    }
  });

  it("perf boot, after a boot with profile=boot, shows QuickJS loading the kernel and the kernel's own JS, once", async () => {
    const booted = await SerialConsole.boot({ nic: "none", cmdline: "profile=boot" });
    try {
      const report = await booted.run("perf boot");
      const m = report.match(/^perf boot: \d+ samples in [\d.]+ s at 1024 Hz: (\d+) busy, \d+ idle \(\d+%\), \d+ lost$/m);
      assert.ok(m && Number(m[1]) >= 20, `enough busy samples:\n${report}`);
      const c = perf_table(report, "C function (kernel image)");
      assert.ok(
        c.some((row) => /^(JS_Read\w+|bc_\w+|__JS_NewAtom|JS_NewAtom\w*|js_alloc_string|hash_string)$/.test(row.name)),
        `reading the kernel's bytecode is sampled:\n${report}`,
      );
      const js = perf_table(report, "JS function (kernel bundle) or native");
      assert.ok(
        js.some((row) => row.name === "[no JS function]"),
        `before the kernel's JS ran:\n${report}`,
      );
      assert.ok(
        js.some((row) => /^\w+ \(kernel\.js:\d+\)$/.test(row.name)),
        `the kernel's JS:\n${report}`,
      );
      // QuickJS names a module's function <eval>; napkin keeps it after it ran.
      assert.ok(
        js.some((row) => row.name === "<eval> (kernel.js:1)"),
        `the bundle's top level, by name:\n${report}`,
      );
      assert.match(await booted.run("perf boot"), /^napkin: perf: the boot profile was read already/);
    } finally {
      await booted.close();
    }
  });

  it("perf trace on writes calibration marks to the trace port", async () => {
    const marks: number[] = [];
    con.vm.emulator.v86.cpu.io.register_write(TRACE_PORT, {}, (stage: number) => marks.push(stage));
    assert.equal(await con.run("perf trace on"), "stage marks: on\n");
    // The calibration marks come first; the shell's own stage marks (going
    // idle after printing, say) may follow before the host sees the prompt.
    assert.deepEqual(marks.slice(0, 16), new Array(16).fill(TRACE_CALIBRATE));
    assert.ok(
      marks.slice(16).every((stage) => stage > 0 && stage < TRACE_CALIBRATE),
      `after calibration, only stage marks: ${marks}`,
    );
    assert.equal(await con.run("perf trace off"), "stage marks: off\n");
  });
});
