// The echo (RFC 862, TCP port 7) and discard (RFC 863, TCP port 9) services:
// every byte a client sends comes back, or is read and dropped. One kernel
// thread listens per service; each connection gets its own thread.
import { kthread_run } from "../sched/sched";
import { TcpListener, TcpStream } from "../../net/socket/api";
import type { NetNamespace } from "./netns";

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

function service_start(ns: NetNamespace, name: string, port: number, echo: boolean): void {
  kthread_run(`${name}/${ns.name}`, async () => {
    const listener = new TcpListener(ns.net, port, 8);
    for (;;) {
      let stream: TcpStream;
      try {
        stream = await listener.accept();
      } catch {
        return; // the namespace closed its sockets: it is being deleted
      }
      kthread_run(`${name}-conn`, () => serve(stream, echo));
    }
  });
}

/** The small services every namespace runs, as inetd once did. */
export function inetd_start(ns: NetNamespace): void {
  service_start(ns, "echod", ECHO_PORT, true);
  service_start(ns, "discardd", DISCARD_PORT, false);
}
