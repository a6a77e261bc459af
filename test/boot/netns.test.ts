// Network namespaces on the real image: two namespaces joined by a veth
// pair, with addresses and routes; ping and a byte-exact TCP transfer across
// them; then one is deleted and the root namespace's NIC still works.
import { strict as assert } from "assert";
import { HostStack } from "../../tools/hostnet/host_stack";
import { V86Link } from "../../tools/hostnet/v86_link";
import { IcmpSocket } from "../../net/socket/icmp";
import { ipv4 } from "../../net/wire/address";
import { SerialConsole } from "./serial_console";

describe("boot: network namespaces", function () {
  this.timeout(300_000);
  let con: SerialConsole;
  let host: HostStack;

  before(async () => {
    con = await SerialConsole.boot({ cmdline: "ip=10.0.2.15/24 gw=10.0.2.2 dhcp_timeout=0" });
    host = new HostStack(new V86Link(con.vm.emulator.bus), { address: "10.0.2.2/24" });
  });
  after(async () => {
    host?.stop();
    await con?.close();
  });

  const run = async (command: string) => {
    const out = await con.run(command, 120_000);
    assert.doesNotMatch(out, /^napkin: |^usage: /m, `${command}\n${out}`);
    return out;
  };

  it("builds two namespaces joined by a veth pair, with addresses and routes", async () => {
    await run("ip netns add red");
    await run("ip netns add blue");
    assert.deepEqual((await run("ip netns list")).trim().split("\n"), ["blue", "red"]);
    await run("ip link add veth-red type veth peer name veth-blue");
    await run("ip link set dev veth-red netns red");
    await run("ip link set dev veth-blue netns blue");
    for (const [ns, dev, addr] of [
      ["red", "veth-red", "10.20.0.1/24"],
      ["blue", "veth-blue", "10.20.0.2/24"],
    ]) {
      await run(`ip netns exec ${ns} ip addr add ${addr} dev ${dev}`);
      await run(`ip netns exec ${ns} ip link set dev ${dev} up`);
      await run(`ip netns exec ${ns} ip link set dev lo up`);
    }
    // A route beyond the connected subnet, through the peer.
    await run("ip netns exec red ip route add 10.30.0.0/16 via 10.20.0.2");
    assert.match(await run("ip netns exec red ip route"), /10\.30\.0\.0\/16 via 10\.20\.0\.2 dev veth-red/);
    // The root namespace sees none of it.
    assert.doesNotMatch(await run("ip link"), /veth/);
    const ps = await run("ps");
    assert.match(ps, /netns_poll\/red$/m);
    assert.match(ps, /netns_poll\/blue$/m);
  });

  it("pings across the namespaces", async () => {
    assert.match(await run("ip netns exec red ping -c 3 -i 0.2 10.20.0.2"), /3 packets transmitted, 3 received, 0% packet loss/);
    // Traffic stays in its namespace: the root one has no route there.
    assert.match(await con.run("ping -c 1 10.20.0.2", 60_000), /1 packets transmitted, 0 received/);
  });

  it("moves 256 KiB over TCP across them, byte-exact", async () => {
    assert.match(await run("ip netns exec red tcpecho 10.20.0.2 262144"), /262144 bytes echoed byte-exact/);
  });

  it("records netns_poll wakeups and lateness", async () => {
    const stats = await run("cat /proc/net/netns_poll");
    const red = stats.match(/^red\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)$/m);
    assert.ok(red, stats);
    assert.ok(Number(red[1]) > 0, "red's poller woke");
  });

  it("deletes a namespace: its threads go, the root NIC keeps working", async () => {
    await run("ip netns del blue");
    const ps = await run("ps");
    assert.doesNotMatch(ps, /\/blue$/m);
    assert.match(ps, /netns_poll\/red$/m);
    // Its veth end went, and with it the peer in red.
    assert.doesNotMatch(await run("ip netns exec red ip link"), /veth/);
    assert.deepEqual((await run("ip netns list")).trim().split("\n"), ["red"]);
    // eth0 in the root namespace still answers.
    const socket = host.sockets.add_icmp(new IcmpSocket());
    socket.bind(99);
    socket.send_echo(ipv4("10.0.2.15"), 1, new Uint8Array(32));
    const deadline = Date.now() + 20_000;
    while (!socket.can_recv() && Date.now() < deadline) {
      host.poll();
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    assert.ok(socket.can_recv(), "eth0 should answer after the namespace went");
  });

  it("leaves nothing behind: after mem -g collects, ten namespaces made and deleted hold no JS memory", async () => {
    const reachable = async () => {
      const m = /^JS heap:\s+(\d+) KiB in (\d+) objects/m.exec(await run("mem -g"));
      assert.ok(m, "mem -g prints the JS heap");
      return { kib: Number(m[1]), objects: Number(m[2]) };
    };
    // The first one fills caches for good.
    await run("ip netns add warm");
    await run("ip netns del warm");
    const before = await reachable();
    for (let i = 0; i < 10; i++) {
      await run(`ip netns add gc${i}`);
      await run(`ip link add ga${i} type veth peer name gb${i}`);
      await run(`ip link set dev gb${i} netns gc${i}`);
      await run(`ip netns del gc${i}`);
    }
    const after = await reachable();
    assert.ok(after.objects <= before.objects + 20, `objects ${before.objects} -> ${after.objects}`);
    assert.ok(after.kib <= before.kib + 16, `JS heap ${before.kib} -> ${after.kib} KiB`);
  });
});
