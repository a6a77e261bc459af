// Half-closed connections, two ways, from the station, opened ten at a time
// (a larger burst of SYNs overflows the NE2000's receive ring, and the lost
// ones wait for their retransmission):
//   to telnet, the attacker only acknowledges: telnetd closes each one it
//     cannot seat, or that does not log in by the login timeout, and the
//     attacker never sends its own FIN, so the guest may hold them in
//     FIN-WAIT-2 for as long as its stack lets it;
//   to echo, the attacker sends its FIN and vanishes (its address turns
//     deaf): the echo service closes too, and the guest's FIN is never
//     acknowledged, so the guest holds them in LAST-ACK, retransmitting.
// Each time the guest's sockets and heap are read as the connections stand,
// and again later.
import { TcpState } from "../../../net/socket/tcp";
import { ipv4_to_string } from "../../../net/wire/address";
import { host_now_us } from "../../hostnet/host_stack";
import { GUEST } from "../../hostnet/user_net";
import type { StationConnection } from "../../hostnet/station";
import { describe_mem, guest_mac, read_mem } from "../rig/guest_stats";
import type { GuestRig } from "../rig/guest_rig";
import { describe_probe, probe } from "../rig/real_client";
import { sleep, until } from "../rig/waiting";

const BATCH = 10;
/** Opening stops here even short of the count: a guest that refuses or drops SYNs would make it take all day. */
const OPEN_MAX_MS = 180_000;

function count_states(connections: StationConnection[]): string {
  const by_state = new Map<string, number>();
  for (const c of connections) by_state.set(TcpState[c.state], (by_state.get(TcpState[c.state]) ?? 0) + 1);
  return Array.from(by_state, ([state, n]) => `${state} ${n}`).join(", ");
}

/** Open `count` connections to `port` from `from`, BATCH at a time, for OPEN_MAX_MS at most. */
async function open(rig: GuestRig, count: number, port: number, from: number[]): Promise<StationConnection[]> {
  const connections: StationConnection[] = [];
  const t0 = performance.now();
  while (connections.length < count && performance.now() - t0 < OPEN_MAX_MS) {
    const batch: StationConnection[] = [];
    for (let i = 0; i < BATCH && connections.length < count; i++) {
      const c = rig.station.connect(from[connections.length % from.length], GUEST, port);
      batch.push(c);
      connections.push(c);
    }
    await until(() => batch.every((c) => c.state !== TcpState.SynSent), 10_000);
  }
  return connections;
}

/** Act on the connections BATCH at a time, for the same reason as they were opened so. */
async function in_batches(connections: StationConnection[], act: (c: StationConnection) => void): Promise<void> {
  for (let i = 0; i < connections.length; i += BATCH) {
    for (const c of connections.slice(i, i + BATCH)) act(c);
    await sleep(20);
  }
}

async function guest_line(rig: GuestRig, report: (line: string) => void, when: string): Promise<void> {
  report(`${when}: ${describe_mem(await read_mem(rig.con, 120_000))}`);
}

/** Leave `count` connections half closed each way. */
export async function half_closed(rig: GuestRig, count: number, report: (line: string) => void): Promise<void> {
  const addresses = rig.station.addresses;
  let t0 = performance.now();
  const telnet = await open(rig, count, 23, addresses.slice(0, -1));
  report(`telnet: opened ${telnet.length} in ${((performance.now() - t0) / 1000).toFixed(1)} s; station side: ${count_states(telnet)}`);
  await guest_line(rig, report, "guest");
  report(`real client: ${describe_probe(await probe(rig))}`);
  await sleep(30_000); // past the login timeout: the seated ones are closed too
  report(`30 s later, station side: ${count_states(telnet)}`);
  await guest_line(rig, report, "guest");
  await in_batches(telnet, (c) => c.abort());
  await sleep(5_000);
  await guest_line(rig, report, "5 s after the station reset them");

  const deaf = addresses[addresses.length - 1];
  t0 = performance.now();
  const echo = await open(rig, count, 7, [deaf]);
  report(
    `echo: opened ${echo.length} from ${ipv4_to_string(deaf)} in ${((performance.now() - t0) / 1000).toFixed(1)} s; station side: ${count_states(echo)}`,
  );
  await guest_line(rig, report, "guest");
  // It knows the guest's MAC, as a machine that has just talked to it does,
  // so its FINs go out at once though it will hear no ARP answer any more.
  rig.station.stack.iface.arp_cache.fill(host_now_us(), GUEST, await guest_mac(rig.con));
  rig.station.deafen(deaf);
  let frames_sent = 0;
  rig.station.stack.link.on_frame = (direction) => {
    if (direction === "to_guest") frames_sent++;
  };
  await in_batches(echo, (c) => c.close());
  await sleep(5_000);
  await guest_line(
    rig,
    report,
    `5 s after ${ipv4_to_string(deaf)} sent its FINs (${frames_sent} frames so far, retransmissions included) and vanished`,
  );
  report(`real client: ${describe_probe(await probe(rig))}`);
  await sleep(60_000);
  await guest_line(rig, report, "a minute later");
}
