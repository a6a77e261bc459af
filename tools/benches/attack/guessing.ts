// Password guessing: 32 attackers at once from the station's eight
// addresses, each connecting, sending three wrong guesses in one go and
// reading the answers until telnetd closes the connection, then connecting
// again, until the guest has answered the number of guesses asked for. The
// guest's own counters (/proc/telnetd) say how many it checked and how many
// it refused unchecked; the real client logs in meanwhile.
import { TcpState } from "../../../net/socket/tcp";
import { GUEST } from "../../hostnet/user_net";
import { read_telnetd, read_uptime_s } from "../rig/guest_stats";
import type { GuestRig } from "../rig/guest_rig";
import { describe_probe, probe, ProbeResult } from "../rig/real_client";
import { sleep, until } from "../rig/waiting";

const ATTACKERS = 32;
const GUESSES_PER_CONNECTION = 3;

/** How many of each answer a connection's text holds. */
function answers(text: string): { incorrect: number; refused: number } {
  return { incorrect: text.split("Login incorrect").length - 1, refused: text.split("Login refused").length - 1 };
}

/** Offer guesses until `count` have been answered. */
export async function guessing(rig: GuestRig, count: number, report: (line: string) => void): Promise<void> {
  const station = rig.station;
  const before = await read_telnetd(rig.con);
  const uptime_before = await read_uptime_s(rig.con);
  let incorrect = 0;
  let refused = 0;
  let connections = 0;
  const answered = () => incorrect + refused;
  const t0 = performance.now();
  const attacker = async (n: number) => {
    while (answered() < count) {
      const c = station.connect(station.addresses[n % station.addresses.length], GUEST, 23);
      connections++;
      if (await until(() => c.text.includes("login: "), 60_000)) {
        c.send(`root\r\nwrong-${n}-a\r\nroot\r\nwrong-${n}-b\r\nroot\r\nwrong-${n}-c\r\n`);
        await until(() => c.state !== TcpState.Established && c.state !== TcpState.SynSent, 120_000);
      }
      const got = answers(c.text);
      incorrect += got.incorrect;
      refused += got.refused;
      if (got.incorrect + got.refused < GUESSES_PER_CONNECTION && c.state === TcpState.Established) c.abort();
      else c.close();
    }
  };
  let during: ProbeResult | null = null;
  const prober = (async () => {
    await sleep(15_000);
    if (answered() < count) during = await probe(rig, 120_000);
  })();
  const progress = setInterval(
    () => report(`  ... ${answered()} answered (${incorrect} incorrect, ${refused} refused) over ${connections} connections`),
    30_000,
  );
  await Promise.all([...Array.from({ length: ATTACKERS }, (_, n) => attacker(n)), prober]);
  clearInterval(progress);
  const seconds = (performance.now() - t0) / 1000;
  const after = await read_telnetd(rig.con);
  const guest_seconds = (await read_uptime_s(rig.con)) - uptime_before;
  const checked = after.GuessesChecked - before.GuessesChecked;
  report(
    `${answered()} guesses answered in ${seconds.toFixed(1)} s over ${connections} connections ` +
      `(${(answered() / seconds).toFixed(1)}/s): ${incorrect} "Login incorrect", ${refused} "Login refused"`,
  );
  report(
    `guest checked ${checked} in ${guest_seconds.toFixed(1)} s of its time (${(checked / guest_seconds).toFixed(2)}/s), ` +
      `refused ${after.GuessesRefusedOverBudget - before.GuessesRefusedOverBudget} over the budget and ` +
      `${after.GuessesRefusedHeldOff - before.GuessesRefusedHeldOff} from addresses held off; ${after.SourcesFailing} addresses remembered`,
  );
  report(`real client during the attack: ${during ? describe_probe(during) : "the attack was over before it started"}`);
  report(`real client after: ${describe_probe(await probe(rig))}`);
}
