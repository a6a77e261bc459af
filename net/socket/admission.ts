// Whether a new socket may be made: the stack asks before every SYN it
// would answer with a connection and every socket an application opens. Two
// things say no: memory (memory_pressure.ts), and a namespace's cap on TCP
// sockets. Refusals are counted.
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
  if (!memory_admits_socket()) {
    sockets.tcp_ext.memory_refused++;
    return Admission.MemoryShort;
  }
  return Admission.Admitted;
}
