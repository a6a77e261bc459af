// telnetd under attack, in a booted guest: password guessing over many
// connections from many addresses that hang up as soon as their guess is
// in, and idle connections that would hold every pre-login slot. The
// attackers are a station on the guest's wire with addresses of its own; the
// user comes through the gateway's port forward, as from the host.
import { strict as assert } from "assert";
import { GUESS_BURST, GUESS_RATE_PER_S } from "../../kernel/services/telnetd/guess_budget";
import { TcpState } from "../../net/socket/tcp";
import { PortForward } from "../../tools/hostnet/port_forward";
import { Station, StationConnection } from "../../tools/hostnet/station";
import { GUEST, UserNet } from "../../tools/hostnet/user_net";
import { V86Link } from "../../tools/hostnet/v86_link";
import { SerialConsole } from "./serial_console";
import { TelnetClient } from "./telnet_client";

const PASSWORD = "correct-horse";
const ATTACKER_ADDRESSES = Array.from({ length: 8 }, (_, i) => `10.0.2.${100 + i}/24`);

/** /proc/telnetd's "Name: value" lines, as numbers. */
async function telnetd_counters(con: SerialConsole): Promise<Record<string, number>> {
  const counters: Record<string, number> = {};
  for (const m of (await con.run("cat /proc/telnetd")).matchAll(/^(\w+):\s+([\d.]+)$/gm)) counters[m[1]] = Number(m[2]);
  return counters;
}

/** The guest's clock; kernel log lines may come between the command and its output. */
async function guest_uptime_s(con: SerialConsole): Promise<number> {
  const out = await con.run("cat /proc/uptime");
  const m = /^(\d+\.\d+) \d+\.\d+$/m.exec(out);
  assert.ok(m, out);
  return Number(m[1]);
}

/** Resolve once `cond` holds, polling every 20 ms; false if `timeout_ms` passes first. */
async function until(cond: () => boolean, timeout_ms: number): Promise<boolean> {
  const deadline = Date.now() + timeout_ms;
  while (!cond() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  return cond();
}

/** A booted guest with the user network, a port forward to telnet for the user, and an attacking station. */
async function boot(
  cmdline: string,
): Promise<{ con: SerialConsole; user_net: UserNet; forward: PortForward; port: number; station: Station }> {
  const con = await SerialConsole.boot({ nic: "ne2k", cmdline: `telnet_password=${PASSWORD} ${cmdline}` });
  const user_net = new UserNet(new V86Link(con.vm.emulator.bus));
  const forward = new PortForward(user_net.host, GUEST, { host_port: 0, guest_port: 23, bind: "127.0.0.1" });
  const port = await forward.listen();
  const station = new Station(con.vm.emulator.bus, { addresses: ATTACKER_ADDRESSES, mac: 0x52_54_00_66_00_01 });
  await con.wait_for(/eth0: DHCP lease 10\.0\.2\.15\/24/, 0, 60_000);
  return { con, user_net, forward, port, station };
}

describe("boot: telnetd against password guessing", function () {
  this.timeout(300_000);
  let rig: Awaited<ReturnType<typeof boot>>;

  before(async () => {
    rig = await boot("");
  });
  after(async () => {
    rig?.forward.close();
    rig?.station.stop();
    rig?.user_net.stop();
    await rig?.con.close();
  });

  it("checks at most 2 guesses a second (plus the burst) from connections that hang up once their guess is in, and lets the right password in meanwhile", async () => {
    const { con, station, port } = rig;
    const before = await telnetd_counters(con);
    const t0 = await guest_uptime_s(con);
    let offered = 0;
    let attacking = true;
    /** One attacker: connect, wait for the prompt, guess, and hang up as soon as the guest has read the password. */
    const attacker = async (from: number, n: number) => {
      while (attacking) {
        const c: StationConnection = station.connect(from, GUEST, 23);
        const guessed = await until(() => c.text.includes("login: "), 10_000);
        if (guessed) {
          c.send(`root\r\nguess-${n}-${offered}\r\n`);
          if (await until(() => /Password: \r\n/.test(c.text), 10_000)) offered++;
        }
        c.abort();
      }
    };
    const attackers = station.addresses.map((from, n) => attacker(from, n));
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    // The user, from the host, during the attack.
    const user = await TelnetClient.connect(port);
    const login_started = Date.now();
    await user.login(PASSWORD);
    const login_ms = Date.now() - login_started;
    assert.match(await user.run("echo in"), /^in$/m);
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    attacking = false;
    await Promise.all(attackers);
    user.socket.destroy();
    const after = await telnetd_counters(con);
    const seconds = (await guest_uptime_s(con)) - t0;
    const checked = after.GuessesChecked - before.GuessesChecked;
    const refused =
      after.GuessesRefusedOverBudget + after.GuessesRefusedHeldOff - before.GuessesRefusedOverBudget - before.GuessesRefusedHeldOff;
    const summary = `${offered} guesses offered over ${seconds.toFixed(1)} s of guest time: ${checked} checked, ${refused} refused; the user logged in in ${login_ms} ms`;
    assert.ok(checked <= GUESS_BURST + GUESS_RATE_PER_S * seconds, summary);
    assert.ok(refused > 0 && offered > checked, `guesses beyond the budget are refused: ${summary}`);
    assert.equal(after.Logins - before.Logins, 1, summary);
    assert.equal(after.LoginsFailed - before.LoginsFailed + 1, checked, `every checked guess is counted: ${summary}`);
    assert.ok(after.SourcesFailing >= 1, "the attacking addresses are remembered");
  });
});

describe("boot: telnetd's pre-login slots and login timeout", function () {
  this.timeout(300_000);
  const STARTUPS = 6;
  const TIMEOUT_S = 6;
  let rig: Awaited<ReturnType<typeof boot>>;

  before(async () => {
    rig = await boot(`telnet_max_startups=${STARTUPS} telnet_login_timeout=${TIMEOUT_S}`);
  });
  after(async () => {
    rig?.forward.close();
    rig?.station.stop();
    rig?.user_net.stop();
    await rig?.con.close();
  });

  it("refuses idle connections beyond the cap, lets a user from elsewhere in, and closes the idle ones at the timeout", async () => {
    const { con, station, port } = rig;
    const idle = Array.from({ length: STARTUPS + 4 }, () => station.connect(station.addresses[0], GUEST, 23));
    const reset = (c: StationConnection) => c.state === TcpState.Closed && !c.text.includes("login: ");
    assert.ok(await until(() => idle.every((c) => c.text.includes("login: ") || reset(c)), 30_000));
    assert.equal(idle.filter(reset).length, 4, "the connections beyond the cap are reset");
    let counters = await telnetd_counters(con);
    assert.equal(counters.StartupsWaiting, STARTUPS);
    assert.equal(counters.ConnRefusedStartupsFull, 4);

    // Every slot is taken by one address: a user from another one takes that address's oldest.
    const user = await TelnetClient.connect(port);
    await user.login(PASSWORD);
    counters = await telnetd_counters(con);
    assert.equal(counters.ConnEvicted, 1);
    assert.equal(counters.SessionsLoggedIn, 1);
    assert.equal(counters.StartupsWaiting, STARTUPS - 1, "a logged-in session holds no pre-login slot");
    assert.ok(idle.some((c) => c.text.includes("this one is closed")));

    // The idle ones are closed at the login timeout; the user's session is not.
    assert.ok(
      await until(() => idle.filter((c) => c.text.includes(`Login timed out after ${TIMEOUT_S} seconds`)).length === STARTUPS - 1, 60_000),
    );
    counters = await telnetd_counters(con);
    assert.equal(counters.ConnTimedOut, STARTUPS - 1);
    assert.equal(counters.StartupsWaiting, 0);
    assert.match(await user.run("echo still-here"), /^still-here$/m);
    user.socket.destroy();
    for (const c of idle) c.abort();
  });
});
