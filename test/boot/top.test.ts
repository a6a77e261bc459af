// top on the booted image, on the serial console and over telnet: it draws
// its header and the threads, redraws while the host pings (packets/s shows
// it), and gives the prompt back on q or Ctrl-C with its thread gone.
import { strict as assert } from "assert";
import { IcmpSocket } from "../../net/socket/icmp";
import { ipv4 } from "../../net/wire/address";
import { PortForward } from "../../tools/hostnet/port_forward";
import { GUEST, UserNet } from "../../tools/hostnet/user_net";
import { V86Link } from "../../tools/hostnet/v86_link";
import { PROMPT, SerialConsole } from "./serial_console";
import { TelnetClient } from "./telnet_client";

const HEADER =
  /top - \d\d:\d\d:\d\d up \d+:\d\d:\d\d, \d+ threads: \d+ running, \d+ sleeping\x1b\[K\r\n%Cpu: [\d.]+ threads, [\d.]+ hardirq, [\d.]+ softirq \(NET_RX\), [\d.]+ idle\x1b\[K\r\nIRQs\/s: \d+   packets\/s: \d+ rx, \d+ tx\x1b\[K\r\n/;
const THREADS = /  PID S  %CPU    TIME\+ SWITCHES COMMAND\x1b\[K\r\n(?:\s*\d+ [RSDZ] +[\d.]+ +\d+:\d\d\.\d\d +\d+ \S+\x1b\[K\r\n)+/;
/** A screen drawn while packets flowed: packets/s above zero both ways. */
const BUSY = /packets\/s: [1-9]\d* rx, [1-9]\d* tx/;

/** Ping the guest from the host stack every 20 ms until stopped. */
function keep_pinging(user_net: UserNet): () => void {
  const socket = user_net.host.sockets.add_icmp(new IcmpSocket());
  socket.bind(0x70b);
  let seq = 0;
  const timer = setInterval(() => {
    socket.send_echo(ipv4("10.0.2.15"), seq++ & 0xffff, new Uint8Array(56));
    user_net.host.poll();
  }, 20);
  return () => {
    clearInterval(timer);
    user_net.host.sockets.remove_icmp(socket);
  };
}

describe("boot: top", function () {
  this.timeout(300_000);
  let con: SerialConsole;
  let user_net: UserNet;
  let forward: PortForward;
  let port: number;

  before(async () => {
    con = await SerialConsole.boot({ nic: "ne2k" });
    user_net = new UserNet(new V86Link(con.vm.emulator.bus));
    forward = new PortForward(user_net.host, GUEST, { host_port: 0, guest_port: 23, bind: "127.0.0.1" });
    port = await forward.listen();
    await con.wait_for(/eth0: DHCP lease 10\.0\.2\.15\/24/, 0, 60_000);
  });
  after(async () => {
    forward?.close();
    user_net?.stop();
    await con?.close();
  });

  it("on the serial console: clears the screen, shows the header and the threads, redraws, and quits on q", async () => {
    const from = con.output.length;
    con.send("top\r");
    await con.wait_for(/\x1b\[H\x1b\[2J/, from);
    const stop = keep_pinging(user_net);
    try {
      // The first screen's rates are averages since boot; a redraw's are the last second's.
      const redrawn = await con.wait_for(/\x1b\[H(?!\x1b\[2J)/, from);
      await con.wait_for(BUSY, redrawn);
    } finally {
      stop();
    }
    const screens = con.output.slice(from).split("\x1b[H").slice(1);
    assert.ok(screens.length >= 2, "redrawn");
    for (const screen of screens.filter((s) => s.includes("\x1b[J"))) {
      assert.match(screen, HEADER);
      assert.match(screen, THREADS);
      assert.match(screen, / napi_handler\x1b/);
      assert.match(screen, / top\x1b/, "its own refresh thread");
      assert.ok(screen.split("\r\n").length <= 24, "fits 24 lines");
      assert.ok(
        screen.split("\r\n").every((line) => line.replace(/\x1b\[[0-9;]*[A-Za-z]/g, "").length < 80),
        "fits 80 columns",
      );
    }
    con.send("q");
    await con.wait_for(PROMPT, from);
    assert.doesNotMatch(await con.run("ps"), / top\n/, "the refresh thread ended");
  });

  it("over telnet: the same screen, and Ctrl-C quits", async () => {
    const t = await TelnetClient.connect(port);
    await t.login("napkin");
    const from = t.text.length;
    t.send_line("top");
    await t.wait_for(HEADER, from);
    await t.wait_for(THREADS, from);
    await t.wait_for(/ sh\/pts\/\d+\x1b\[K/, from);
    t.socket.write(Uint8Array.of(3));
    await t.wait_for(PROMPT, from);
    assert.match(await t.run("echo back"), /back/);
    t.send_line("exit");
    await t.wait_closed();
  });
});
