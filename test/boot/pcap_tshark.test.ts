// The pcap files napkin writes, read by Wireshark's tshark: the one
// `tcpdump -w -` writes over telnet (armored in base64, see pcap_base64.ts),
// and the one `make run ARGS="--pcap FILE"` writes on the host. Each must
// open without a warning, with no malformed frame and no bad checksum on a
// frame the guest sent. Skipped, saying so, where tshark is not installed.
import { strict as assert } from "assert";
import { ChildProcess, spawn } from "child_process";
import fs from "fs";
import net from "net";
import os from "os";
import path from "path";
import { PortForward } from "../../tools/hostnet/port_forward";
import { GUEST, UserNet } from "../../tools/hostnet/user_net";
import { V86Link } from "../../tools/hostnet/v86_link";
import { PROMPT, SerialConsole } from "./serial_console";
import { TelnetClient } from "./telnet_client";
import { tshark_available, tshark_read, TsharkReport } from "./tshark";

const GUEST_ADDRESS = "10.0.2.15";
const PASSWORD = "napkin";
const ROOT = path.join(__dirname, "..", "..");

/** Send `text` to the guest's TCP echo service through `port` and wait for it to come back. */
function tcp_echo(port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let got = "";
    const socket = net.connect(port, "127.0.0.1", () => socket.write(text));
    socket.on("data", (data) => {
      got += data.toString("latin1");
      if (got.length >= text.length) socket.end();
    });
    socket.on("close", () => resolve(got));
    socket.on("error", reject);
  });
}

/** tshark read the file without a warning, found no frame malformed and no bad checksum on the guest's, and saw each of `protocols`. */
function assert_clean(report: TsharkReport, protocols: string[]): void {
  assert.equal(report.warnings, "", "tshark warned");
  assert.deepEqual(
    report.frames.filter((f) => f.malformed),
    [],
    "malformed frames",
  );
  const from_guest = report.frames.filter((f) => f.ip_src === GUEST_ADDRESS);
  assert.ok(from_guest.length > 0, "no frame from the guest");
  assert.deepEqual(
    from_guest.filter((f) => f.bad_checksum),
    [],
    "bad checksums on the guest's frames",
  );
  for (const protocol of protocols) {
    assert.ok(
      report.frames.some((f) => f.protocols.split(":").includes(protocol)),
      `no ${protocol} frame in ${report.frames.map((f) => f.protocols).join(" ")}`,
    );
  }
}

describe("boot: pcap files napkin writes, read by tshark", function () {
  this.timeout(300_000);
  let dir: string;

  before(function () {
    if (!tshark_available()) {
      console.log("    (skipped: tshark is not installed; as root, apt-get install -y tshark, or run tools/setup.sh)");
      this.skip();
    }
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "napkin-pcap-"));
  });
  after(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("reads what `tcpdump -w -` wrote over telnet", async () => {
    const con = await SerialConsole.boot({ nic: "ne2k" });
    const user_net = new UserNet(new V86Link(con.vm.emulator.bus));
    const telnet = new PortForward(user_net.host, GUEST, { host_port: 0, guest_port: 23, bind: "127.0.0.1" });
    const echo = new PortForward(user_net.host, GUEST, { host_port: 0, guest_port: 7, bind: "127.0.0.1" });
    try {
      const [telnet_port, echo_port] = [await telnet.listen(), await echo.listen()];
      await con.wait_for(/eth0: DHCP lease 10\.0\.2\.15\/24/, 0, 60_000);
      const t = await TelnetClient.connect(telnet_port);
      await t.login(PASSWORD);
      // Everything but the session's own port 23, whose output would feed the capture.
      const from = t.text.length;
      t.send_line("tcpdump -w - not port 23");
      await t.wait_for("-----BEGIN PCAP-----", from);
      assert.match(await con.run("ping -c 2 -i 0.2 10.0.2.2", 30_000), /2 received/);
      assert.match(await con.run("host gateway"), /gateway has address 10\.0\.2\.2/);
      assert.equal(await tcp_echo(echo_port, "through napkin's TCP and back\n"), "through napkin's TCP and back\n");
      t.socket.write(Uint8Array.of(3)); // Ctrl-C ends the capture
      const end = await t.wait_for(PROMPT, from);
      const out = t.text.slice(from, end);
      const armored = /-----BEGIN PCAP-----\r\n([A-Za-z0-9+/=\r\n]*?)-----END PCAP-----\r\n/.exec(out);
      assert.ok(armored, out);
      const file = path.join(dir, "tcpdump.pcap");
      fs.writeFileSync(file, Buffer.from(armored[1].replace(/\r\n/g, ""), "base64"));
      const report = tshark_read(file);
      assert.match(out, new RegExp(`\\n${report.frames.length} packets captured\\r\\n`));
      assert_clean(report, ["icmp", "dns", "tcp"]);
    } finally {
      telnet.close();
      echo.close();
      user_net.stop();
      await con.close();
    }
  });

  it('reads what `make run ARGS="--pcap FILE"` wrote', async () => {
    const file = path.join(dir, "run.pcap");
    const run: ChildProcess = spawn(process.execPath, ["--import", "tsx", "tools/run.ts", "--pcap", file, "--hostfwd", "tcp:0-:23"], {
      cwd: ROOT,
      stdio: ["pipe", "pipe", "pipe"],
    });
    let serial = "";
    let stderr = "";
    run.stdout!.on("data", (data: Buffer) => (serial += data.toString("latin1")));
    run.stderr!.on("data", (data: Buffer) => (stderr += data.toString("latin1")));
    const exited = new Promise<number | null>((resolve) => run.on("exit", (code) => resolve(code)));
    const until = async (pattern: RegExp, text: () => string) => {
      const deadline = Date.now() + 120_000;
      while (!pattern.test(text())) {
        if (run.exitCode !== null || Date.now() > deadline)
          throw new Error(`waiting for ${pattern}; serial:\n${serial.slice(-1500)}\nstderr:\n${stderr}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    };
    try {
      await until(/eth0: DHCP lease 10\.0\.2\.15\/24/, () => serial);
      await until(/forwarding 127\.0\.0\.1:\d+ to guest port 23/, () => stderr);
      const port = Number(/forwarding 127\.0\.0\.1:(\d+) to guest port 23/.exec(stderr)![1]);
      // Each command, then what it prints last and the prompt after it.
      for (const [command, done] of [
        ["ping -c 2 -i 0.2 10.0.2.2", /2 packets transmitted, 2 received/],
        ["host gateway", /gateway has address 10\.0\.2\.2/],
      ] as const) {
        const from = serial.length;
        run.stdin!.write(command + "\r");
        await until(new RegExp(`${done.source}[^]*${PROMPT}$`), () => serial.slice(from));
      }
      const t = await TelnetClient.connect(port);
      await t.login(PASSWORD);
      assert.match(await t.run("ps"), /telnetd\/pts/);
      t.send_line("exit");
      await t.wait_closed();
      run.stdin!.write("poweroff\r");
      assert.equal(await exited, 0);
    } finally {
      run.kill();
    }
    assert_clean(tshark_read(file), ["dhcp", "arp", "icmp", "dns", "tcp"]);
  });
});
