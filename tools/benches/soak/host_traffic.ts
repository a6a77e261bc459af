// Host-side traffic of the soak: pings from the gateway, five a second; and,
// through the port forwards, 64 KiB through the guest's echo service
// (compared on return) and 64 KiB into its discard service (read by the
// guest to the end: it closes only after EOF), one after the other.
import { IcmpSocket } from "../../../net/socket/icmp";
import { GUEST } from "../../hostnet/user_net";
import type { GuestRig } from "../rig/guest_rig";
import { tcp_roundtrip } from "../rig/real_client";
import { sleep } from "../rig/waiting";
import type { Tally } from "./tally";

const PING_INTERVAL_MS = 200;
const TRANSFER_BYTES = 64 * 1024;

/** Ping the guest from the gateway until `stop()`; a reply that never comes is counted as lost. */
export async function pings(rig: GuestRig, tally: Tally, stop: () => boolean): Promise<void> {
  const host = rig.user_net.host;
  const socket = host.sockets.add_icmp(new IcmpSocket(64, 64 * 1024));
  socket.bind(0x5a5a);
  const reply = new Uint8Array(128);
  const payload = new Uint8Array(56);
  for (let seq = 0; !stop(); seq = (seq + 1) & 0xffff) {
    payload.fill(seq & 0xff);
    socket.send_echo(GUEST, seq, payload);
    tally.pings_sent++;
    host.poll_soon();
    await sleep(PING_INTERVAL_MS);
    while (socket.recv_echo(reply) >= 0) tally.pings_answered++;
  }
  await sleep(2000); // the last replies
  while (socket.recv_echo(reply) >= 0) tally.pings_answered++;
  host.sockets.remove_icmp(socket);
}

/** Byte i of connection `n`'s data: differs between connections, so a crossed stream shows. */
function pattern(n: number): Uint8Array {
  return Uint8Array.from({ length: TRANSFER_BYTES }, (_, i) => (i * 13 + n * 101 + (i >> 9)) & 0xff);
}

/** Echo and discard transfers from the host until `stop()`. */
export async function host_transfers(rig: GuestRig, tally: Tally, stop: () => boolean): Promise<void> {
  for (let n = 0; !stop(); n++) {
    const data = pattern(n);
    try {
      const back = await tcp_roundtrip(rig.echo_port, data);
      if (back.equals(data)) tally.host_echo_bytes += data.length;
      else
        tally.lost.push(
          `host echo ${n}: ${back.length} bytes came back, ${data.length} sent${back.length === data.length ? ", not the same" : ""}`,
        );
      const discarded = await tcp_roundtrip(rig.discard_port, data);
      if (discarded.length === 0) tally.host_discard_bytes += data.length;
      else tally.lost.push(`host discard ${n}: the discard service answered ${discarded.length} bytes`);
    } catch (error) {
      tally.error(`host transfer ${n}: ${(error as Error).message}`);
      await sleep(1000);
    }
  }
}
