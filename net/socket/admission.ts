// Whether a new socket may be made: the stack asks before every SYN it
// would answer with a connection and every socket an application opens, and
// asks memory alone before a half-open connection completes. Two things say
// no: memory (memory_pressure.ts), and a namespace's cap on TCP sockets.
// Refusals are counted.
import { memory_admits_socket } from "./memory_pressure";
import type { SocketSet } from "./socket_set";

/** What the admission of a new socket found. */
export const enum Admission {
  Admitted,
  SocketCap,
  MemoryShort,
}

/** Whether `sockets` may take a new TCP socket; a refusal is counted in its TcpExt counters. */
export function tcp_admission(sockets: SocketSet): Admission {
  if (sockets.tcp.length >= sockets.tcp_max_sockets) {
    sockets.tcp_ext.socket_cap_refused++;
    return Admission.SocketCap;
  }
  return tcp_memory_admits(sockets) ? Admission.Admitted : Admission.MemoryShort;
}

/** Whether memory allows `sockets` another TCP connection; a refusal is counted (TCPMemoryRefused). */
export function tcp_memory_admits(sockets: SocketSet): boolean {
  if (memory_admits_socket()) return true;
  sockets.tcp_ext.memory_refused++;
  return false;
}
