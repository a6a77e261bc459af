// The echo (RFC 862) and discard (RFC 863) services, over TCP and UDP, on
// ports 7 and 9: every byte a client sends comes back, or is read and
// dropped. One kernel thread listens per TCP service and each connection
// gets its own; one thread serves each UDP service.
import { kthread_run } from "../sched/sched";
import { setns, type NetNamespace } from "../net/netns";
import { register_pernet_operations, type PernetOperations } from "../net/namespaces";
import { UdpEndpoint, type TcpStream } from "../../net/socket/api";
import { WAIT_INTERRUPTED } from "../../net/socket/waiter";
import { UdpSocket } from "../../net/socket/udp";
import { tcp_server_start } from "./tcp_server";

export const ECHO_PORT = 7;
export const DISCARD_PORT = 9;

/** A UDP service's socket queue: deep enough that a burst waits for the thread instead of being dropped at once. */
const UDP_QUEUE_PACKETS = 64;

/** Bytes one read may take: large, so a fast stream costs few reads (each one a trip through the scheduler). */
const READ_SIZE = 64 * 1024;

async function serve(stream: TcpStream, echo: boolean): Promise<void> {
  const buffer = new Uint8Array(READ_SIZE);
  const socket = stream.socket;
  try {
    for (;;) {
      // stream.read() in two halves: one promise per wake-up, not two.
      if (!socket.recv_ready() && (await stream.wait_readable()) === WAIT_INTERRUPTED) {
        stream.abort(); // a signal ended the wait: as read() would throw EINTR
        return;
      }
      const n = stream.read_ready(buffer);
      if (n === 0) break;
      if (echo) await stream.write(buffer.subarray(0, n));
    }
    await stream.close();
  } catch {
    stream.abort(); // reset by the peer, or gone: nothing more to do
  }
}

/**
 * Send each datagram back (echo) or just take it (discard), until the socket
 * closes. Every datagram queued is taken before the thread sleeps again: a
 * burst costs one wake-up.
 */
async function serve_udp(endpoint: UdpEndpoint, echo: boolean): Promise<void> {
  const buffer = new Uint8Array(65536);
  const socket = endpoint.socket;
  try {
    for (;;) {
      const length = endpoint.recv_now(buffer);
      if (length < 0) {
        if ((await endpoint.wait_readable()) === WAIT_INTERRUPTED) return;
      } else if (echo) {
        await endpoint.send_to(buffer.subarray(0, length), socket.last_src_addr, socket.last_src_port);
      }
    }
  } catch {
    // The namespace went away: the socket closed under us.
  }
}

function udp_service_start(ns: NetNamespace, name: string, port: number, echo: boolean): void {
  const endpoint = new UdpEndpoint(ns.context, port, new UdpSocket(UDP_QUEUE_PACKETS, UDP_QUEUE_PACKETS * 2048));
  setns(
    kthread_run(`${name}/${ns.name}`, () => serve_udp(endpoint, echo)),
    ns,
  );
}

/** The small services every namespace runs, as inetd once did: started in each namespace as it is created. */
const inetd_net_ops: PernetOperations = {
  name: "inetd",
  init(ns: NetNamespace): void {
    tcp_server_start(ns, "echod", ECHO_PORT, 8, (stream) => kthread_run("echod-conn", () => serve(stream, true)));
    tcp_server_start(ns, "discardd", DISCARD_PORT, 8, (stream) => kthread_run("discardd-conn", () => serve(stream, false)));
    udp_service_start(ns, "echod-udp", ECHO_PORT, true);
    udp_service_start(ns, "discardd-udp", DISCARD_PORT, false);
  },
};

/** Run the services in every namespace, those there are and those to come. */
export function inetd_init(): void {
  register_pernet_operations(inetd_net_ops);
}
