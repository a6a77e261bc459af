// How the stack learns that memory is short. The kernel installs its checks
// (kernel/net/net_init.ts, from kernel/mm); under Node nothing is ever short.
// The stack asks before it makes a socket (admission.ts) and when a socket
// nobody holds any more times out (tcp.ts): that one is let go at once.

let refuse_new: () => boolean = () => false;
let is_short: () => boolean = () => false;

/**
 * Install the checks: `refuse` is asked before a new socket is made and may
 * count the refusal; `short` only looks (by default, the same check).
 */
export function set_memory_pressure_check(refuse: () => boolean, short: () => boolean = refuse): void {
  refuse_new = refuse;
  is_short = short;
}

/** Whether memory allows a new socket of any kind (a refusal is counted by the check). */
export function memory_admits_socket(): boolean {
  return !refuse_new();
}

/** Whether memory is short now; counts nothing. */
export function memory_is_short(): boolean {
  return is_short();
}
