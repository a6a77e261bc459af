// A listening TCP service: one kernel thread accepts connections on a port
// of a namespace and hands each to `serve`, until the namespace closes its
// sockets (it is being deleted) and the listener fails.
import { kthread_run } from "../sched/sched";
import { TcpListener, TcpStream } from "../../net/socket/api";
import { setns, type NetNamespace } from "../net/netns";

/** Accept connections on `port` of `ns` in a thread named NAME/NETNS, giving each to `serve`. */
export function tcp_server_start(ns: NetNamespace, name: string, port: number, backlog: number, serve: (stream: TcpStream) => void): void {
  const listener_thread = kthread_run(`${name}/${ns.name}`, async () => {
    const listener = new TcpListener(ns.context, port, backlog);
    for (;;) {
      let stream: TcpStream;
      try {
        stream = await listener.accept();
      } catch {
        return;
      }
      serve(stream);
    }
  });
  // It, and the threads it starts for its connections, live in the namespace.
  setns(listener_thread, ns);
}
