// Telnet into napkin the way a user would from the host: the guest takes its
// address from the host stack's DHCP server, and a port forward on an
// ephemeral 127.0.0.1 port bridges real TCP connections to its telnetd.
import { strict as assert } from "assert";
import { PortForward } from "../../tools/hostnet/port_forward";
import { GUEST, UserNet } from "../../tools/hostnet/user_net";
import { V86Link } from "../../tools/hostnet/v86_link";
import { PROMPT, SerialConsole } from "./serial_console";
import { IAC, TelnetClient } from "./telnet_client";

const PASSWORD = "hunter2";
const MAX_SESSIONS = 20;

describe("boot: telnet into napkin through a port forward", function () {
  this.timeout(600_000);
  let con: SerialConsole;
  let user_net: UserNet;
  let forward: PortForward;
  let port: number;

  before(async () => {
    con = await SerialConsole.boot({ nic: "ne2k", cmdline: `telnet_password=${PASSWORD} telnet_max_sessions=${MAX_SESSIONS}` });
    user_net = new UserNet(new V86Link(con.vm.emulator.bus));
    forward = new PortForward(user_net.host, GUEST, { host_port: 0, guest_port: 23, bind: "127.0.0.1" });
    port = await forward.listen();
    await con.wait_for(/eth0: DHCP lease 10\.0\.2\.15\/24 router 10\.0\.2\.2/, 0, 60_000);
  });
  after(async () => {
    forward?.close();
    user_net?.stop();
    await con?.close();
  });

  it("takes its address from the host's DHCP server", async () => {
    assert.match(await con.run("ip addr show dev eth0"), /inet 10\.0\.2\.15\/24/);
    assert.ok(user_net.dhcp.acks >= 1);
  });

  it("resolves names through the host's DNS server it learned from DHCP", async () => {
    assert.equal((await con.run("host gateway")).trim(), "gateway has address 10.0.2.2");
    assert.match(await con.run("host nowhere.invalid"), /Host nowhere\.invalid not found: 3\(NXDOMAIN\)/);
  });

  it("negotiates, logs in and runs ps, ip addr and ping", async () => {
    const t = await TelnetClient.connect(port);
    try {
      await t.login(PASSWORD);
      for (const option of ["WILL 1", "WILL 3", "DO 31"]) assert.ok(t.negotiated.includes(option), t.negotiated.join(", "));
      assert.match(await t.run("ps"), /telnetd\/pts\/\d+[^]*sh\/pts\/\d+/);
      assert.match(await t.run("ip addr"), /inet 10\.0\.2\.15\/24/);
      const ping = await t.run("ping -c 3 10.0.2.2");
      assert.match(ping, /3 packets transmitted, 3 received, 0% packet loss/);
      // Ctrl-C, as a byte (character mode) and as IAC IP, stops a command.
      for (const interrupt of [Uint8Array.of(3), Uint8Array.of(IAC, 244)]) {
        const from = t.text.length;
        t.send_line("ping -c 100 10.0.2.2");
        await t.wait_for("icmp_seq=1", from);
        t.socket.write(interrupt);
        const end = await t.wait_for(PROMPT, from);
        assert.match(t.text.slice(from, end), /\d+ packets transmitted/);
      }
      t.send_line("exit");
      await t.wait_closed();
    } finally {
      t.socket.destroy();
    }
  });

  it("refuses a wrong password, logs it, then lets the right one in", async () => {
    const t = await TelnetClient.connect(port);
    try {
      await t.wait_for("login: ");
      t.send_line("root");
      await t.wait_for("Password: ");
      t.send_line("not-the-password");
      const after = await t.wait_for("Login incorrect");
      assert.ok(!t.text.includes("not-the-password"), "the password must not be echoed");
      await t.wait_for("login: ", after);
      t.send_line("root");
      await t.wait_for("Password: ", after);
      t.send_line(PASSWORD);
      await t.wait_for(PROMPT, after);
      const dmesg = await con.run("dmesg");
      assert.match(dmesg, /telnetd: FAILED LOGIN \(1\/3\) from 10\.0\.2\.2:\d+ for 'root'/);
      // The log is readable by anyone logged in: the command line's password is masked there.
      assert.match(dmesg, /command line: .*telnet_password=\*\*\*/);
      assert.ok(!dmesg.includes(PASSWORD), "dmesg must not show the password");
    } finally {
      t.socket.destroy();
    }
  });

  it("closes the connection after three wrong passwords", async () => {
    const t = await TelnetClient.connect(port);
    try {
      let at = 0;
      for (let i = 0; i < 3; i++) {
        at = await t.wait_for("login: ", at);
        t.send_line("root");
        at = await t.wait_for("Password: ", at);
        t.send_line(`wrong${i}`);
        at = await t.wait_for("Login incorrect", at);
      }
      await t.wait_for("Too many failed logins");
      await t.wait_closed();
    } finally {
      t.socket.destroy();
    }
  });

  it("serves two sessions at once, and who lists both", async () => {
    const a = await TelnetClient.connect(port);
    const b = await TelnetClient.connect(port);
    try {
      await Promise.all([a.login(PASSWORD), b.login(PASSWORD)]);
      const who = await a.run("who");
      const rows = who.split("\n").filter((line) => /^root\s+pts\/\d+\s+10\.0\.2\.2:\d+/.test(line));
      assert.equal(rows.length, 2, who);
      assert.match(who, /\*$/m, "who marks the asking session");
      const [sa, sb] = await Promise.all([a.run("echo from-a"), b.run("echo from-b")]);
      assert.match(sa, /^from-a$/m);
      assert.match(sb, /^from-b$/m);
    } finally {
      a.socket.destroy();
      b.socket.destroy();
    }
  });

  it("frees a session killed in the middle of a command", async () => {
    const t = await TelnetClient.connect(port);
    await t.login(PASSWORD);
    const pts = (await t.run("who")).match(/^root\s+(pts\/\d+).*\*$/m)![1];
    t.send_line("ping -c 100 10.0.2.2");
    await t.wait_for("icmp_seq=2");
    t.socket.destroy();
    const deadline = Date.now() + 60_000;
    let who = "";
    while (Date.now() < deadline) {
      who = await con.run("who");
      if (!who.includes(pts + " ")) break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    assert.ok(!who.includes(pts + " "), who);
    const ps = await con.run("ps");
    assert.ok(!ps.includes(`sh/${pts}\n`) && !ps.includes(`telnetd/${pts}\n`), ps);
    assert.match(await con.run("dmesg"), new RegExp(`telnetd: ${pts} from 10\\.0\\.2\\.2:\\d+ closed`));
  });

  it("has no session to end on the serial console", async () => {
    assert.match(await con.run("exit"), /exit: ttyS0 is the console; there is no session to end/);
  });

  it("runs 20 sessions at once, each pinging the gateway 5 times, and refuses a 21st", async function () {
    this.timeout(900_000);
    // The sessions of the tests before must be gone first: the limit counts every session.
    const deadline = Date.now() + 60_000;
    while ((await con.run("ps")).includes("sh/pts/") && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 500));
    const clients = await Promise.all(Array.from({ length: MAX_SESSIONS }, () => TelnetClient.connect(port)));
    try {
      await Promise.all(clients.map((c) => c.login(PASSWORD)));
      const outputs = await Promise.all(clients.map((c) => c.run("ping -c 5 10.0.2.2", 600_000)));
      for (const out of outputs) assert.match(out, /5 packets transmitted, 5 received/);
      const extra = await TelnetClient.connect(port);
      await extra.wait_for(`all ${MAX_SESSIONS} sessions are in use`);
      await extra.wait_closed();
    } finally {
      for (const c of clients) c.socket.destroy();
    }
  });
});
