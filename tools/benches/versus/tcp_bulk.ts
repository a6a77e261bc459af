// tcp-rx and tcp-tx: 4 MiB over one TCP connection between the host stack
// and the guest's discard service (rx: host to guest), or from the guest's
// tcpsend to a discard sink on the host stack (tx). The host end sizes its
// segments for the link's MTU and its buffers at 1 MiB, so it is never what
// limits the transfer. Figures: MiB/s over the transfer (handshake done to
// the last byte acknowledged, or received), the host socket's
// retransmission timeouts, stalls (no progress for 200 ms or more, whoever
// retransmits), and guest instructions per MiB.
import { TcpSocket, TcpState, ephemeral_port } from "../../../net/socket/tcp";
import { ipv4 } from "../../../net/wire/address";
import { host_now_us } from "../../hostnet/host_stack";
import { Guest } from "./guest";
import { DISCARD_PORT, GUEST_ADDRESS, HOST_ADDRESS } from "./guest_profile";
import { count_rtos } from "./rto_counter";

export const TCP_BYTES = 4 * 1024 * 1024;
const HOST_BUFFER = 1024 * 1024;
const STALL_MS = 200;
/** No progress for this long is a stuck guest, not a slow one (TCP's backoff reaches 12.8 s after six losses). */
const NO_PROGRESS_MS = 20_000;
/** How long the guest's tcpsend may take in all. */
const COMMAND_MS = 120_000;

export interface TcpFigures {
  mib_per_s: number;
  rtos: number;
  stalls: number;
  instructions_per_mib: number;
}

/** Progress marks: a gap of STALL_MS or more between two is a stall. */
class ProgressClock {
  stalls = 0;
  last = performance.now();

  mark(): void {
    const now = performance.now();
    if (now - this.last >= STALL_MS) this.stalls++;
    this.last = now;
  }
}

function host_socket(guest: Guest): TcpSocket {
  const mss = guest.config.mtu - 40;
  return guest.host.sockets.add_tcp(new TcpSocket({ mss, rx_buffer_size: HOST_BUFFER, tx_buffer_size: HOST_BUFFER }));
}

/**
 * Runs `step` after every host poll until it returns true, or fails once
 * `progress` (the time of the last progress) is NO_PROGRESS_MS old. The host
 * stack sends what a step queued in the same poll, so a step must not ask
 * for another (that would chain polls in microtasks and starve the emulator).
 */
function until(guest: Guest, what: string, step: () => boolean, progress?: () => number): Promise<void> {
  const started = performance.now();
  const last_progress = progress ?? (() => started);
  return new Promise((resolve, reject) => {
    const hooks = guest.host.on_poll;
    const watchdog = setInterval(() => {
      if (performance.now() - last_progress() > NO_PROGRESS_MS)
        finish(new Error(`tcp: no progress ${what} for ${NO_PROGRESS_MS / 1000} s`));
    }, 1000);
    const hook = () => {
      if (step()) finish(null);
    };
    const finish = (error: Error | null) => {
      clearInterval(watchdog);
      const i = hooks.indexOf(hook);
      if (i >= 0) hooks.splice(i, 1);
      if (error) reject(error);
      else resolve();
    };
    hooks.push(hook);
    guest.host.poll_soon();
  });
}

/** Host to guest: the host sends, the guest's discard service reads. */
export async function tcp_rx(guest: Guest): Promise<TcpFigures> {
  const socket = host_socket(guest);
  const rtos = count_rtos(socket);
  guest.host.iface.tcp_connect(host_now_us(), socket, ipv4(GUEST_ADDRESS), DISCARD_PORT, ephemeral_port());
  await until(guest, "connecting", () => {
    if (socket.state === TcpState.Closed) throw new Error(`tcp-rx: connection failed (${socket.error})`);
    return socket.state === TcpState.Established;
  });
  const chunk = new Uint8Array(64 * 1024).fill(0x6e);
  const progress = new ProgressClock();
  const t0 = performance.now();
  const i0 = guest.instructions.total();
  let queued = 0;
  let acked = 0;
  await until(
    guest,
    "sending",
    () => {
      const now_acked = queued - socket.send_queue();
      if (now_acked > acked) progress.mark();
      acked = now_acked;
      while (queued < TCP_BYTES && socket.can_send()) queued += socket.send_slice(chunk, 0, Math.min(chunk.length, TCP_BYTES - queued));
      if (queued === TCP_BYTES && socket.state === TcpState.Established) socket.close();
      // Our FIN acknowledged: every byte before it was too.
      return socket.state === TcpState.FinWait2 || socket.state === TcpState.TimeWait || socket.state === TcpState.Closed;
    },
    () => progress.last,
  );
  const seconds = (performance.now() - t0) / 1000;
  const instructions = guest.instructions.total() - i0;
  socket.abort();
  guest.host.poll();
  guest.host.sockets.remove_tcp(socket);
  return {
    mib_per_s: TCP_BYTES / 2 ** 20 / seconds,
    rtos: rtos.count,
    stalls: progress.stalls,
    instructions_per_mib: instructions / (TCP_BYTES / 2 ** 20),
  };
}

/** Guest to host: the guest's tcpsend, a discard sink on the host stack. */
export async function tcp_tx(guest: Guest): Promise<TcpFigures> {
  const listener = host_socket(guest);
  listener.listen(DISCARD_PORT, 1, ipv4(HOST_ADDRESS));
  const command = guest.shell.run(guest.profile.send_command(HOST_ADDRESS, TCP_BYTES), COMMAND_MS);
  command.catch(() => {}); // awaited below; this only keeps an early failure from being unhandled
  try {
    return await receive(guest, listener, command);
  } catch (e) {
    guest.vm.serial_send("\x03"); // stop tcpsend; the runner then waits for the shell
    throw e;
  } finally {
    guest.host.sockets.remove_tcp(listener);
  }
}

async function receive(guest: Guest, listener: TcpSocket, command: Promise<string>): Promise<TcpFigures> {
  let conn: TcpSocket | null = null;
  await until(guest, "accepting", () => (conn = listener.accept()) !== null);
  const socket = conn!;
  const rtos = count_rtos(socket);
  const sink = new Uint8Array(64 * 1024);
  const progress = new ProgressClock();
  const t0 = performance.now();
  const i0 = guest.instructions.total();
  let received = 0;
  await until(
    guest,
    "receiving",
    () => {
      let n = 0;
      while (socket.can_recv()) n += socket.recv_slice(sink);
      if (n > 0) progress.mark();
      received += n;
      if (socket.at_eof() && socket.state === TcpState.CloseWait) socket.close();
      return socket.at_eof();
    },
    () => progress.last,
  ).catch((e: Error) => {
    throw new Error(`${e.message} after ${received} bytes, connection ${TcpState[socket.state]}`);
  });
  const seconds = (performance.now() - t0) / 1000;
  const instructions = guest.instructions.total() - i0;
  const printed = await command;
  if (received !== TCP_BYTES) throw new Error(`tcp-tx: received ${received} of ${TCP_BYTES} bytes; the guest printed:\n${printed}`);
  return {
    mib_per_s: TCP_BYTES / 2 ** 20 / seconds,
    rtos: rtos.count,
    stalls: progress.stalls,
    instructions_per_mib: instructions / (TCP_BYTES / 2 ** 20),
  };
}
