// tools/bench netns: two namespaces joined by a veth pair; a 1 MiB TCP
// transfer between them, a ping, and a paced stream; then how late each
// namespace's netns_poll woke for the deadlines it chose (TCP timers).
import { SerialConsole } from "../../test/boot/serial_console";

async function main(): Promise<void> {
  const con = await SerialConsole.boot({ cmdline: "dhcp_timeout=0" });
  const setup = [
    "ip netns add red",
    "ip netns add blue",
    "ip link add veth-red type veth peer name veth-blue",
    "ip link set dev veth-red netns red",
    "ip link set dev veth-blue netns blue",
    "ip netns exec red ip addr add 10.20.0.1/24 dev veth-red",
    "ip netns exec blue ip addr add 10.20.0.2/24 dev veth-blue",
    "ip netns exec red ip link set dev veth-red up",
    "ip netns exec blue ip link set dev veth-blue up",
  ];
  for (const command of setup) await con.run(command);
  console.log((await con.run("ip netns exec red tcpecho 10.20.0.2 1048576", 600_000)).trim());
  console.log((await con.run("ip netns exec red ping -c 20 -i 0.05 10.20.0.2", 120_000)).trim().split("\n").slice(-2).join("\n"));
  // Paced writes: blue acknowledges each on its delayed-ACK timer, a deadline netns_poll sleeps for.
  console.log((await con.run("ip netns exec red tcpsend -i 30 10.20.0.2 51200", 600_000)).trim());
  console.log((await con.run("cat /proc/net/netns_poll")).trim());
  console.log((await con.run("cat /proc/net/softnet_stat")).trim());
  await con.close();
  process.exit(0);
}

void main();
