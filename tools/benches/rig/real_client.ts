// The real client the benchmarks check while an attack or a soak runs: a
// telnet login through the host's port forward (and one command), a ping
// from the gateway (a request a second until one is answered), and a TCP echo of 16 KiB through the forward to port 7,
// every byte compared. Each reports how long it took, or why it failed.
import net from "net";
import { IcmpSocket } from "../../../net/socket/icmp";
import { GUEST } from "../../hostnet/user_net";
import { TelnetClient } from "../../../test/boot/telnet_client";
import { BENCH_PASSWORD, type GuestRig } from "./guest_rig";

/** How one check went. */
export type Timing = { ms: number } | { error: string };

/** The three checks of one probe. */
export interface ProbeResult {
  login: Timing;
  ping: Timing;
  echo: Timing;
}

const ECHO_BYTES = 16 * 1024;
let next_ping_ident = 0x4e00;

async function timed(body: () => Promise<void>, timeout_ms: number): Promise<Timing> {
  const t0 = performance.now();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer in ${timeout_ms / 1000} s`)), timeout_ms);
  });
  try {
    await Promise.race([body(), timeout]);
    return { ms: performance.now() - t0 };
  } catch (error) {
    // The client's message ends with what the guest last said: keep it, on one line.
    const message = (error instanceof Error ? error.message : String(error)).replace(/\s*\n\s*/g, " | ");
    return { error: message.length > 240 ? `${message.slice(0, 80)} ... ${message.slice(-150)}` : message };
  } finally {
    clearTimeout(timer);
  }
}

/** Log in as root, run one command, log out. */
export async function telnet_login(port: number): Promise<void> {
  const client = await TelnetClient.connect(port);
  try {
    await client.login(BENCH_PASSWORD);
    const out = await client.run("echo logged-in");
    if (!/^logged-in$/m.test(out)) throw new Error(`unexpected output ${JSON.stringify(out)}`);
  } finally {
    client.socket.destroy();
  }
}

/** ICMP echo from the gateway to the guest, a request a second as ping(8) sends them, until one is answered. */
export async function ping_once(rig: GuestRig): Promise<void> {
  const host = rig.user_net.host;
  const socket = host.sockets.add_icmp(new IcmpSocket());
  socket.bind(next_ping_ident++);
  try {
    const payload = new Uint8Array(56).fill(0x5a);
    const reply = new Uint8Array(128);
    for (let seq = 1; ; seq++) {
      socket.send_echo(GUEST, seq, payload);
      host.poll_soon();
      const next_request = performance.now() + 1000;
      while (performance.now() < next_request) {
        if (socket.recv_echo(reply) >= 0) return;
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
    }
  } finally {
    host.sockets.remove_icmp(socket);
  }
}

/** Send `data` to `port` on the host, half close, and resolve with everything that came back. */
export function tcp_roundtrip(port: number, data: Uint8Array): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = net.connect({ port, host: "127.0.0.1", allowHalfOpen: true }, () => socket.end(data));
    socket.on("data", (chunk: Buffer) => chunks.push(chunk));
    socket.on("end", () => {
      socket.destroy();
      resolve(Buffer.concat(chunks));
    });
    socket.on("error", reject);
  });
}

/** 16 KiB through the guest's echo service, compared byte for byte. */
export async function tcp_echo(port: number): Promise<void> {
  const data = Uint8Array.from({ length: ECHO_BYTES }, (_, i) => (i * 31 + (i >> 8)) & 0xff);
  const back = await tcp_roundtrip(port, data);
  if (!back.equals(data)) throw new Error(`echo returned ${back.length} bytes, not the ${data.length} sent`);
}

/** The three checks at once. */
export async function probe(rig: GuestRig, timeout_ms = 60_000): Promise<ProbeResult> {
  const [login, ping, echo] = await Promise.all([
    timed(() => telnet_login(rig.telnet_port), timeout_ms),
    timed(() => ping_once(rig), timeout_ms),
    timed(() => tcp_echo(rig.echo_port), timeout_ms),
  ]);
  return { login, ping, echo };
}

function show(timing: Timing): string {
  return "ms" in timing ? `${timing.ms.toFixed(0)} ms` : `FAILED (${timing.error})`;
}

/** "login 1520 ms, ping 3 ms, TCP echo 16 KiB 120 ms" */
export function describe_probe(p: ProbeResult): string {
  return `login ${show(p.login)}, ping ${show(p.ping)}, TCP echo 16 KiB ${show(p.echo)}`;
}
