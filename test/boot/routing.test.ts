// A namespace with several devices on the real image: init_net has eth0
// (DHCP from the host, with a default route) and a veth end vA; the other
// end is in `blue`. Packets must leave by the FIB's choice, a device that is
// down must be silent, and deleting a namespace must end what runs in it.
import { strict as assert } from "assert";
import { IcmpSocket } from "../../net/socket/icmp";
import { PortForward } from "../../tools/hostnet/port_forward";
import { GUEST, UserNet } from "../../tools/hostnet/user_net";
import { V86Link } from "../../tools/hostnet/v86_link";
import { SerialConsole } from "./serial_console";
import { TelnetClient } from "./telnet_client";

const PASSWORD = "routing";

describe("boot: routing, link state and namespace teardown", function () {
  this.timeout(600_000);
  let con: SerialConsole;
  let link: V86Link;
  let user_net: UserNet;
  let forward: PortForward;
  let port: number;
  /** Frames the guest put on the wire so far. */
  let frames_from_guest = 0;

  before(async () => {
    con = await SerialConsole.boot({ nic: "ne2k", cmdline: `telnet_password=${PASSWORD}` });
    link = new V86Link(con.vm.emulator.bus);
    link.on_frame = (direction) => {
      if (direction === "from_guest") frames_from_guest++;
    };
    user_net = new UserNet(link);
    forward = new PortForward(user_net.host, GUEST, { host_port: 0, guest_port: 23, bind: "127.0.0.1" });
    port = await forward.listen();
    await con.wait_for(/eth0: DHCP lease 10\.0\.2\.15\/24 router 10\.0\.2\.2/, 0, 60_000);
  });
  after(async () => {
    forward?.close();
    user_net?.stop();
    await con?.close();
  });

  const run = async (command: string, timeout_ms = 120_000) => {
    const out = await con.run(command, timeout_ms);
    assert.doesNotMatch(out, /^napkin: |^usage: /m, `${command}\n${out}`);
    return out;
  };

  /** Ping the guest from the host side; how many of `count` echoes came back. */
  async function host_pings(count: number): Promise<number> {
    const socket = user_net.host.sockets.add_icmp(new IcmpSocket());
    socket.bind(0x5151);
    let replies = 0;
    for (let seq = 0; seq < count; seq++) {
      socket.send_echo(GUEST, seq, new Uint8Array(32));
      user_net.host.poll();
      const deadline = Date.now() + 1000;
      while (Date.now() < deadline && !socket.can_recv()) await new Promise((resolve) => setTimeout(resolve, 5));
      while (socket.recv_echo(new Uint8Array(64)) >= 0) replies++;
    }
    user_net.host.sockets.remove_icmp(socket);
    return replies;
  }

  async function build_blue(): Promise<void> {
    await run("ip netns add blue");
    await run("ip link add vA type veth peer name vB");
    await run("ip link set dev vB netns blue");
    await run("ip addr add 10.9.0.1/24 dev vA");
    await run("ip link set dev vA up");
    await run("ip netns exec blue ip addr add 10.9.0.2/24 dev vB");
    await run("ip netns exec blue ip link set dev vB up");
    await run("ip netns exec blue ip link set dev lo up");
    await run("ip netns exec blue ip route add default via 10.9.0.1");
  }

  it("pings a veth peer 10/10 from init_net, whose eth0 has the default route, and back", async () => {
    await build_blue();
    assert.match(await run("ip route"), /^default via 10\.0\.2\.2 dev eth0$/m);
    assert.match(await run("ping -c 10 -i 0.05 10.9.0.2"), /10 packets transmitted, 10 received, 0% packet loss/);
    assert.match(await run("ip netns exec blue ping -c 10 -i 0.05 10.9.0.1"), /10 packets transmitted, 10 received, 0% packet loss/);
    const tx = (await run("ip -s link show dev vA")).match(/TX: bytes.*\n\s*\d+\s+(\d+)/);
    assert.ok(tx && Number(tx[1]) >= 10, "vA carried the echoes");
  });

  it("names vA as the route to the peer, and eth0 for the rest", async () => {
    assert.equal((await run("ip route get 10.9.0.2")).trim(), "10.9.0.2 dev vA src 10.9.0.1");
    assert.equal((await run("ip route get 1.1.1.1")).trim(), "1.1.1.1 via 10.0.2.2 dev eth0 src 10.0.2.15");
    assert.equal((await run("ip route get 10.0.2.15")).trim(), "local 10.0.2.15 dev lo src 10.0.2.15");
  });

  it("moves 256 KiB over TCP in each direction, byte-exact", async () => {
    assert.match(await run("tcpecho 10.9.0.2 262144"), /262144 bytes echoed byte-exact/);
    assert.match(await run("ip netns exec blue tcpecho 10.9.0.1 262144"), /262144 bytes echoed byte-exact/);
  });

  it("takes eth0 down: no echo answered and no frame sent; up: it answers again", async () => {
    assert.equal(await host_pings(2), 2);
    await run("ip link set dev eth0 down");
    assert.match(await run("ip link show dev eth0"), /state DOWN/);
    const sent_before = frames_from_guest;
    assert.equal(await host_pings(3), 0, "a down eth0 answers nothing");
    assert.match(await con.run("ping -c 1 10.0.2.2", 60_000), /connect: Network is unreachable|1 packets transmitted, 0 received/);
    assert.equal(frames_from_guest, sent_before, "and sends nothing");
    await run("ip link set dev eth0 up");
    assert.equal(await host_pings(3), 3, "up again, it answers");
  });

  it("deletes the namespace under a running tcpecho: the command fails within 2 s and no thread of blue is left", async () => {
    const pids = (await run("ip netns pids blue")).trim().split("\n").map(Number);
    assert.ok(pids.length >= 3, `blue has its threads: ${pids}`);
    const t = await TelnetClient.connect(port);
    try {
      await t.login(PASSWORD);
      const from = t.text.length;
      t.send_line("tcpecho 10.9.0.2 67108864");
      await new Promise((resolve) => setTimeout(resolve, 1000)); // it is running
      await run("ip netns del blue");
      const deleted_at = Date.now();
      await t.wait_for(/tcpecho: .*(reset|down)[^\n]*\n/i, from, 30_000);
      assert.ok(Date.now() - deleted_at <= 2000, `tcpecho ended ${Date.now() - deleted_at} ms after the namespace went`);
      const ps = await run("ps");
      const live = ps.split("\n").map((line) => Number(line.trim().split(/\s+/)[0]));
      assert.deepEqual(
        pids.filter((pid) => live.includes(pid)),
        [],
        ps,
      );
      assert.doesNotMatch(ps, /\/blue$/m);
    } finally {
      t.socket.destroy();
    }
  });

  it("creates the namespace again, and it works", async () => {
    await build_blue();
    assert.match(await run("ping -c 3 -i 0.05 10.9.0.2"), /3 packets transmitted, 3 received/);
  });
});
