// Counts a host TCP socket's retransmission timeouts. net/'s TcpSocket keeps
// no such count, but every timeout backs off its RTT estimator exactly once
// (RFC 6298 5.5), so the estimator's backoff() is wrapped for this one socket.
// A public counter on TcpSocket would make this unnecessary.
import type { TcpSocket } from "../../../net/socket/tcp";

export function count_rtos(socket: TcpSocket): { readonly count: number } {
  const counter = { count: 0 };
  const rtt = socket["rtt"]; // private: element access is TypeScript's deliberate way in
  const backoff = rtt.backoff.bind(rtt);
  rtt.backoff = () => {
    counter.count++;
    backoff();
  };
  return counter;
}
