// The echo service (RFC 862) on TCP port 7: every byte a client sends comes
// back. One kernel thread listens; each connection gets its own thread.
import { kthread_run } from "../sched/sched";
import { TcpListener, TcpStream } from "../../net/socket/api";
import type { NetNamespace } from "./netns";

export const ECHO_PORT = 7;

async function serve(stream: TcpStream): Promise<void> {
  const buffer = new Uint8Array(4096);
  try {
    for (;;) {
      const n = await stream.read(buffer);
      if (n === 0) break;
      await stream.write(buffer.subarray(0, n));
    }
    await stream.close();
  } catch {
    stream.abort(); // reset by the peer, or gone: nothing more to do
  }
}

export function echo_service_start(ns: NetNamespace): void {
  kthread_run(`echod/${ns.name}`, async () => {
    const listener = new TcpListener(ns.net, ECHO_PORT, 8);
    for (;;) {
      let stream: TcpStream;
      try {
        stream = await listener.accept();
      } catch {
        return; // the namespace closed its sockets: it is being deleted
      }
      kthread_run("echod-conn", () => serve(stream));
    }
  });
}
