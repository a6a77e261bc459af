// Switching eth0 between NAPI and interrupt mode from the page. The command
// goes down the serial line, as if typed on the console (where the reader
// sees it), not over the page's Telnet session: under a flood the NIC's
// receive ring is full, so a Telnet segment may be dropped there and wait
// for TCP's retransmission, with its backoff, long after the flood has
// stopped; and a session that times out has to log in again. The serial
// line is a device of its own whose input v86 queues without loss: the
// command runs as soon as the shell gets the CPU, however busy eth0 is.
export type RxMode = "napi" | "interrupt";

/** The line editor's "erase the line" first, so whatever is half-typed on the console does not run with it. */
const CTRL_U = "\x15";

export function rx_mode_command(mode: RxMode): string {
  return `${CTRL_U}ip link set dev eth0 mode ${mode}\r`;
}
