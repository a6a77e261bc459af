// Whether a new socket may be made: the stack asks before every SYN it
// would answer with a connection and every socket an application opens. Two
// things say no: memory (the kernel installs its check; nothing does under
// Node), and a namespace's cap on TCP sockets. Refusals are counted.
import type { SocketSet } from './socket_set';

/** What the admission of a new socket found. */
export const enum Admission { Admitted, SocketCap, MemoryShort }

let memory_short: () => boolean = () => false;

/**
 * Install the check that says memory is short. It is called only when a
 * socket is about to be made, and it may count the refusal itself.
 */
export function set_memory_pressure_check(check: () => boolean): void {
  memory_short = check;
}

/** Whether memory allows a new socket of any kind. */
export function memory_admits_socket(): boolean {
  return !memory_short();
}

/** Whether `sockets` may take a new TCP socket; a refusal is counted in its TcpExt counters. */
export function tcp_admission(sockets: SocketSet): Admission {
  if (sockets.tcp.length >= sockets.tcp_max_sockets) {
    sockets.tcp_ext.socket_cap_refused++;
    return Admission.SocketCap;
  }
  if (memory_short()) {
    sockets.tcp_ext.memory_refused++;
    return Admission.MemoryShort;
  }
  return Admission.Admitted;
}
