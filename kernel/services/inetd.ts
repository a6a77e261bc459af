// The echo (RFC 862, TCP port 7) and discard (RFC 863, TCP port 9) services:
// every byte a client sends comes back, or is read and dropped. One kernel
// thread listens per service; each connection gets its own thread.
import { kthread_run } from "../sched/sched";
import type { TcpStream } from "../../net/socket/api";
import { register_pernet_operations, type PernetOperations } from "../net/namespaces";
import { tcp_server_start } from "./tcp_server";
import type { NetNamespace } from "../net/netns";

export const ECHO_PORT = 7;
export const DISCARD_PORT = 9;

async function serve(stream: TcpStream, echo: boolean): Promise<void> {
  const buffer = new Uint8Array(4096);
  try {
    for (;;) {
      const n = await stream.read(buffer);
      if (n === 0) break;
      if (echo) await stream.write(buffer.subarray(0, n));
    }
    await stream.close();
  } catch {
    stream.abort(); // reset by the peer, or gone: nothing more to do
  }
}

/** The small services every namespace runs, as inetd once did: started in each namespace as it is created. */
const inetd_net_ops: PernetOperations = {
  name: "inetd",
  init(ns: NetNamespace): void {
    tcp_server_start(ns, "echod", ECHO_PORT, 8, (stream) => kthread_run("echod-conn", () => serve(stream, true)));
    tcp_server_start(ns, "discardd", DISCARD_PORT, 8, (stream) => kthread_run("discardd-conn", () => serve(stream, false)));
  },
};

/** Run the services in every namespace, those there are and those to come. */
export function inetd_init(): void {
  register_pernet_operations(inetd_net_ops);
}
