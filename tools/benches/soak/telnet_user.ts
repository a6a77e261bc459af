// A telnet user of the soak: logs in through the host's port forward, runs a
// round of commands and checks what each printed, logs out, and starts
// again. A round moves bytes both ways between the guest and the station
// (tcpecho, which the guest checks byte for byte; tcpsend, which the
// station's discard service checks) and pings the gateway from the guest.
import type { GuestRig } from "../rig/guest_rig";
import { BENCH_PASSWORD } from "../rig/guest_rig";
import { TelnetClient } from "../../../test/boot/telnet_client";
import { ipv4_to_string } from "../../../net/wire/address";
import type { Tally } from "./tally";

const GUEST_TRANSFER_BYTES = 32 * 1024;

/** Run rounds until `stop()` says so. */
export async function telnet_user(rig: GuestRig, id: number, tally: Tally, stop: () => boolean): Promise<void> {
  const station = ipv4_to_string(rig.station.addresses[0]);
  for (let round = 0; !stop(); round++) {
    let client: TelnetClient | null = null;
    try {
      client = await TelnetClient.connect(rig.telnet_port);
      await client.login(BENCH_PASSWORD);
      tally.telnet_sessions++;
      const run = async (command: string, expect: RegExp): Promise<string> => {
        const out = await client!.run(command, 120_000);
        tally.telnet_commands++;
        if (!expect.test(out)) throw new Error(`user ${id}: '${command}' printed ${JSON.stringify(out.slice(0, 200))}`);
        return out;
      };
      await run(`echo soak-${id}-${round}`, new RegExp(`^soak-${id}-${round}$`, "m"));
      await run("ps", /sh\/pts\/\d+/);
      try {
        await run(`tcpecho ${station} ${GUEST_TRANSFER_BYTES}`, /tcpecho: \d+ bytes echoed byte-exact/);
        tally.guest_echo_bytes += GUEST_TRANSFER_BYTES;
      } catch (error) {
        tally.lost.push(`guest->station echo: ${(error as Error).message}`);
      }
      const sent = await run(`tcpsend ${station} ${GUEST_TRANSFER_BYTES}`, /tcpsend: \d+ bytes/);
      tally.guest_discard_bytes += Number(/tcpsend: (\d+) bytes/.exec(sent)![1]);
      const ping = await run("ping -c 2 -i 0.2 10.0.2.2", /packets transmitted/);
      const m = /(\d+) packets transmitted, (\d+) received/.exec(ping)!;
      tally.guest_pings_sent += Number(m[1]);
      tally.guest_pings_answered += Number(m[2]);
      client.send_line("exit");
      await client.wait_closed(60_000);
    } catch (error) {
      tally.error(`telnet user ${id}: ${(error as Error).message.split("\n")[0]}`);
      await new Promise((resolve) => setTimeout(resolve, 1000));
    } finally {
      client?.socket.destroy();
    }
  }
}
