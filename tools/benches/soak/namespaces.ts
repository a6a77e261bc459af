// Namespaces coming and going in the soak: over a telnet session, two
// namespaces joined by a veth pair, 16 KiB echoed across them (checked by
// the guest), then both deleted; the same names each time, so a namespace
// that was not really deleted makes the next cycle fail.
import type { GuestRig } from "../rig/guest_rig";
import { BENCH_PASSWORD } from "../rig/guest_rig";
import { TelnetClient } from "../../../test/boot/telnet_client";
import type { Tally } from "./tally";

const SETUP = [
  "ip netns add soak-a",
  "ip netns add soak-b",
  "ip link add soak-va type veth peer name soak-vb",
  "ip link set dev soak-va netns soak-a",
  "ip link set dev soak-vb netns soak-b",
  "ip netns exec soak-a ip addr add 10.77.0.1/24 dev soak-va",
  "ip netns exec soak-b ip addr add 10.77.0.2/24 dev soak-vb",
  "ip netns exec soak-a ip link set dev soak-va up",
  "ip netns exec soak-b ip link set dev soak-vb up",
];
const TEARDOWN = ["ip netns del soak-a", "ip netns del soak-b"];
const ECHO_BYTES = 16 * 1024;

/** Create, use and delete namespaces until `stop()` says so. */
export async function namespace_cycles(rig: GuestRig, tally: Tally, stop: () => boolean): Promise<void> {
  while (!stop()) {
    let client: TelnetClient | null = null;
    try {
      client = await TelnetClient.connect(rig.telnet_port);
      await client.login(BENCH_PASSWORD);
      tally.telnet_sessions++;
      while (!stop()) {
        for (const command of SETUP) {
          const out = await client.run(command, 60_000);
          if (out.trim() !== "") throw new Error(`'${command}' said ${JSON.stringify(out.trim())}`);
        }
        const echo = await client.run(`ip netns exec soak-a tcpecho 10.77.0.2 ${ECHO_BYTES}`, 120_000);
        if (/bytes echoed byte-exact/.test(echo)) tally.guest_echo_bytes += ECHO_BYTES;
        else tally.lost.push(`echo across namespaces: ${JSON.stringify(echo.trim().slice(0, 200))}`);
        for (const command of TEARDOWN) await client.run(command, 60_000);
        const left = await client.run("ip netns list", 60_000);
        if (/soak-/.test(left)) throw new Error(`deleted namespaces are still listed: ${JSON.stringify(left.trim())}`);
        tally.namespace_cycles++;
      }
      client.send_line("exit");
      await client.wait_closed(60_000);
    } catch (error) {
      tally.error(`namespaces: ${(error as Error).message.split("\n")[0]}`);
      // Clean up what a failed cycle left, so the next one can start.
      for (const command of TEARDOWN) await client?.run(command, 60_000).catch(() => "");
    } finally {
      client?.socket.destroy();
    }
  }
}
