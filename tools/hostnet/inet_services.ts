// The echo (RFC 862) and discard (RFC 863) services over TCP on a host-side
// stack, for tests and benchmarks in which the guest is the client: every
// byte is counted, and the discard service compares each byte with the one
// the caller expects at its offset in the connection, so nothing is lost
// or changed unnoticed.
import { TcpSocket, TcpState } from "../../net/socket/tcp";
import type { HostStack } from "./host_stack";

export const ECHO_PORT = 7;
export const DISCARD_PORT = 9;
/** The byte the guest's tcpsend fills its stream with: what a discard service expects from it. */
export const TCPSEND_BYTE = 0x6e;
const BACKLOG = 16;

interface Connection {
  socket: TcpSocket;
  echo: boolean;
  /** Bytes received so far: the offset of the next one. */
  received: number;
}

/** Echo and discard listeners on `stack`, with their counters. */
export class HostInetServices {
  /** Bytes sent back by echo. */
  echoed = 0;
  /** Bytes taken by discard, and those among them that were not the expected byte. */
  discarded = 0;
  discard_mismatches = 0;
  connections = 0;
  private readonly listeners: { socket: TcpSocket; echo: boolean }[] = [];
  private readonly open = new Set<Connection>();
  private readonly buffer = new Uint8Array(16 * 1024);

  /** `expected(offset)`: the byte a discard client sends at `offset` of its connection. */
  constructor(
    private readonly stack: HostStack,
    private readonly expected: (offset: number) => number,
  ) {
    for (const [port, echo] of [
      [ECHO_PORT, true],
      [DISCARD_PORT, false],
    ] as const) {
      const socket = stack.sockets.add_tcp(new TcpSocket());
      socket.listen(port, BACKLOG);
      this.listeners.push({ socket, echo });
    }
    stack.on_poll.push(() => this.serve());
  }

  private serve(): void {
    for (const listener of this.listeners) {
      for (let child; (child = listener.socket.accept()) !== null;) {
        child.reap_when_closed = true;
        this.open.add({ socket: child, echo: listener.echo, received: 0 });
        this.connections++;
      }
    }
    for (const c of this.open) {
      const s = c.socket;
      // Echo reads no more than it can send back at once, so nothing waits in between.
      const room = c.echo ? Math.min(this.buffer.length, s.tx.window()) : this.buffer.length;
      const n = s.recv_slice(this.buffer, 0, room);
      if (n > 0 && c.echo) {
        s.send_slice(this.buffer, 0, n);
        this.echoed += n;
      } else if (n > 0) {
        for (let i = 0; i < n; i++) if (this.buffer[i] !== this.expected(c.received + i)) this.discard_mismatches++;
        this.discarded += n;
      }
      c.received += n;
      if (s.at_eof() && s.may_send()) s.close();
      if (s.state === TcpState.Closed || s.state === TcpState.TimeWait) this.open.delete(c);
    }
  }

  /** Stop listening. */
  close(): void {
    for (const listener of this.listeners) listener.socket.close();
    this.stack.poll_soon();
  }
}
