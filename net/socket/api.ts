// The blocking socket API for kernel threads (and, under Node, for tests):
// TCP streams and listeners, UDP endpoints and ICMP echo endpoints. Each call
// queues work on its socket, asks the namespace for a poll, and sleeps on the
// socket's own Waiter until the socket can make progress. Whoever owns the
// interfaces (the kernel's NAPI and netns_poll threads, or a test loop) does
// the polling; a socket wakes its Waiter through on_state_change.
//
// Errors carry Linux's errno names (ECONNRESET, EINTR, ...), so a caller can
// tell a reset from a Ctrl-C.
import { Interface } from "../iface/interface";
import { SocketSet } from "./socket_set";
import { ephemeral_port, TcpConfig, TcpSocket, TcpState } from "./tcp";
import { UdpSocket } from "./udp";
import { IcmpSocket } from "./icmp";
import { Waiter, WAIT_INTERRUPTED } from "./waiter";
import { Admission, tcp_admission } from "./admission";
import { memory_admits_socket } from "./memory_pressure";

/** What the API needs from the namespace its sockets live in. */
export interface NetContext {
  /** The interface that routes to `addr` (it picks the source address), or null. */
  route(addr: number): Interface | null;
  /** Where new sockets go; the namespace's stacks serve them. */
  sockets: SocketSet;
  /** A new wait queue for one socket. */
  new_waiter(): Waiter;
  /** The caller queued work for `dst` (a SYN, data, a close): have the stack that sends there polled soon. */
  request_poll(dst?: number): void;
  /** The clock, µs. */
  now_us(): number;
}

/** A failed socket call: `code` is Linux's errno name, the message says it in words. */
export class NetError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const ERRORS: Record<string, [string, string]> = {
  reset: ["ECONNRESET", "Connection reset by peer"],
  refused: ["ECONNREFUSED", "Connection refused"],
  timeout: ["ETIMEDOUT", "Connection timed out"],
  down: ["ENETDOWN", "Network is down"],
};

/** The error a dead TCP socket's calls fail with. */
function socket_error(socket: TcpSocket, fallback: [string, string] = ["EPIPE", "Broken pipe"]): NetError {
  const [code, message] = ERRORS[socket.error] ?? fallback;
  return new NetError(code, message);
}

function interrupted(): NetError {
  return new NetError("EINTR", "Interrupted system call");
}

/** A new socket refused: memory is short (ENOBUFS, as Linux's socket() says then), or the namespace holds its cap (ENFILE). */
function refused(admission: Admission): NetError {
  return admission === Admission.SocketCap
    ? new NetError("ENFILE", "Too many open files in system")
    : new NetError("ENOBUFS", "No buffer space available");
}

/** Throw unless the namespace may take a new TCP socket. */
function admit_tcp(ctx: NetContext): void {
  const admission = tcp_admission(ctx.sockets);
  if (admission !== Admission.Admitted) throw refused(admission);
}

/** Throw unless memory allows a new UDP or ICMP socket. */
function admit_datagram(): void {
  if (!memory_admits_socket()) throw refused(Admission.MemoryShort);
}

/** A UDP or ICMP socket closed under its caller (its namespace went away). */
function closed(): NetError {
  return new NetError("ENETDOWN", "Network is down");
}

/** A wait whose condition already holds: no sleep, and no promise made for it. */
const READY: Promise<boolean> = Promise.resolve(true);

/** What every endpoint has: its socket's context and its own Waiter, woken by the socket. */
abstract class Endpoint {
  readonly waiter: Waiter;

  protected constructor(
    protected readonly ctx: NetContext,
    socket: { on_state_change: (() => void) | null },
  ) {
    const waiter = (this.waiter = ctx.new_waiter());
    socket.on_state_change = () => waiter.wake();
  }

  /**
   * Sleep until cond() holds or `timeout_us` passes; returns whether cond()
   * holds. A signal ends the wait with EINTR. Callers that wait for other
   * things too (a telnet session's output) wake the waiter themselves.
   */
  wait(cond: () => boolean, timeout_us = Infinity): Promise<boolean> {
    return cond() ? READY : this.sleep(cond, timeout_us);
  }

  private async sleep(cond: () => boolean, timeout_us: number): Promise<boolean> {
    return woken(await this.waiter.wait(cond, timeout_us));
  }
}

/** How a wait on a Waiter ended: whether its condition holds; EINTR if a signal ended it. */
function woken(left: number): boolean {
  if (left === WAIT_INTERRUPTED) throw interrupted();
  return left > 0;
}

/** A connected TCP socket. */
export class TcpStream extends Endpoint {
  // The conditions of the two waits a stream makes most, made once: read()
  // and write() wait on the waiter itself, one promise fewer per sleep than
  // wait() (a wake-up in QuickJS pays for every async level it returns through).
  private readonly readable = () => this.socket.recv_ready();
  private readonly writable = () => this.socket.send_ready();

  constructor(
    ctx: NetContext,
    readonly socket: TcpSocket,
  ) {
    super(ctx, socket);
  }

  /** Read at least one byte into buf; 0 means the peer closed. */
  async read(buf: Uint8Array): Promise<number> {
    // (Every argument passed, here and below: QuickJS copies the arguments
    // of a call that passes fewer than the function declares.)
    if (!this.socket.recv_ready()) woken(await this.wait_readable());
    return this.read_ready(buf);
  }

  /**
   * Sleep until a read would not wait: data has arrived, or the peer has
   * closed. Then read_ready(). A loop of the two settles one promise per
   * wake-up where `await read()` settles two (its wait's and its own): a
   * server that streams data uses it. It resolves to WAIT_INTERRUPTED if a
   * signal ended the wait (EINTR).
   */
  wait_readable(): Promise<number> {
    return this.waiter.wait(this.readable, Infinity);
  }

  /** What has arrived, once the socket is readable: 0 means the peer closed; a connection error throws. */
  read_ready(buf: Uint8Array): number {
    const n = this.read_now(buf);
    if (n === 0 && this.socket.error !== "") throw socket_error(this.socket);
    return n;
  }

  /**
   * Read what has arrived, without waiting (0 if nothing has). If that opens
   * the receive window enough, the stack is asked to tell the peer at once:
   * a sender stopped by a zero window would otherwise wait for its probe.
   */
  read_now(buf: Uint8Array): number {
    const n = this.socket.recv_slice(buf, 0, buf.length);
    if (n > 0 && this.socket.window_update_due()) this.ctx.request_poll(this.socket.remote_addr);
    return n;
  }

  /** Queue all of buf for sending, sleeping while the send buffer is full. */
  async write(buf: Uint8Array): Promise<void> {
    const s = this.socket;
    let done = 0;
    while (done < buf.length) {
      if (!s.can_send() && s.may_send()) woken(await this.waiter.wait(this.writable, Infinity));
      if (!s.may_send()) throw socket_error(s);
      done += s.send_slice(buf, done, buf.length - done);
      this.ctx.request_poll(s.remote_addr);
    }
  }

  /**
   * Send FIN after the queued data and wait until the peer has acknowledged
   * all of it (FIN-WAIT-2, TIME-WAIT or CLOSED). Whether the peer ever closes
   * its own half is not the caller's wait: the stack finishes the connection
   * (and reaps the socket once CLOSED), as Linux does after close(2).
   */
  async close(): Promise<void> {
    const s = this.socket;
    s.reap_when_closed = true;
    s.close();
    this.ctx.request_poll(s.remote_addr);
    await this.wait(() => s.state === TcpState.Closed || s.state === TcpState.TimeWait || s.state === TcpState.FinWait2);
  }

  /** Drop the connection with a RST. */
  abort(): void {
    this.socket.reap_when_closed = true;
    this.socket.abort();
    this.ctx.request_poll(this.socket.remote_addr);
  }
}

/** Open a TCP connection to addr:port from the interface that routes there. */
export async function tcp_connect(ctx: NetContext, addr: number, port: number, config: Partial<TcpConfig> = {}): Promise<TcpStream> {
  const iface = ctx.route(addr);
  if (iface === null) throw new NetError("ENETUNREACH", "Network is unreachable");
  const local_port = ephemeral_port((p) => ctx.sockets.tcp_port_in_use(p));
  if (local_port === 0) throw new NetError("EADDRNOTAVAIL", "Cannot assign requested address");
  admit_tcp(ctx);
  const socket = ctx.sockets.add_tcp(new TcpSocket(config));
  const stream = new TcpStream(ctx, socket);
  iface.tcp_connect(ctx.now_us(), socket, addr, port, local_port);
  ctx.request_poll(addr); // let the poller send the SYN
  try {
    await stream.wait(() => socket.state !== TcpState.SynSent && socket.state !== TcpState.SynReceived);
  } catch (error) {
    stream.abort();
    throw error;
  }
  if (socket.state !== TcpState.Established) {
    ctx.sockets.remove_tcp(socket);
    throw socket_error(socket, ["ECONNREFUSED", `connect failed: ${TcpState[socket.state]}`]);
  }
  return stream;
}

/** A listening TCP socket. */
export class TcpListener extends Endpoint {
  readonly socket: TcpSocket;

  constructor(ctx: NetContext, port: number, backlog = 8, config: Partial<TcpConfig> = {}) {
    admit_tcp(ctx);
    const socket = ctx.sockets.add_tcp(new TcpSocket(config));
    super(ctx, socket);
    this.socket = socket;
    socket.listen(port, backlog);
  }

  /** The next connection that completed its handshake. */
  async accept(): Promise<TcpStream> {
    // Wait conditions may be evaluated any number of times: this one only looks.
    for (;;) {
      await this.wait(() => this.socket.can_accept() || this.socket.state !== TcpState.Listen);
      if (this.socket.state !== TcpState.Listen) throw new NetError("EINVAL", "listener closed");
      const child = this.socket.accept();
      if (child !== null) return new TcpStream(this.ctx, child);
    }
  }

  /** Stop listening. */
  close(): void {
    this.socket.close();
    this.ctx.sockets.remove_tcp(this.socket);
  }
}

/** A bound UDP socket. */
export class UdpEndpoint extends Endpoint {
  readonly socket: UdpSocket;
  /** The condition of its reads' waits, made once (see TcpStream's). */
  private readonly readable = () => this.socket.can_recv() || !this.socket.is_open();

  constructor(ctx: NetContext, port = 0, socket = new UdpSocket()) {
    admit_datagram();
    super(ctx, socket);
    this.socket = socket;
    ctx.sockets.add_udp(socket);
    if (socket.local_port === 0) socket.bind(port);
  }

  /** Queue one datagram for addr:port, sleeping while the send queue is full. */
  async send_to(data: Uint8Array, addr: number, port: number): Promise<void> {
    await this.wait(() => this.socket.can_send());
    this.socket.send_slice(data, addr, port);
    this.ctx.request_poll(addr);
  }

  /** Receive one datagram into buf: its length and sender; null if `timeout_us` passed first. */
  async recv_from(buf: Uint8Array, timeout_us = Infinity): Promise<{ length: number; addr: number; port: number } | null> {
    if (!this.socket.can_recv() && !woken(await this.waiter.wait(this.readable, timeout_us))) return null;
    const length = this.recv_now(buf); // (readable: a datagram has come, or the socket closed, which throws)
    return { length, addr: this.socket.last_src_addr, port: this.socket.last_src_port };
  }

  /**
   * Sleep until recv_now() has something: a datagram has arrived, or the
   * socket has closed. A loop of the two takes a whole burst of datagrams
   * with one wake-up, where `await recv_from()` settles a promise for each:
   * a service that takes every datagram it is sent uses it. Resolves to
   * WAIT_INTERRUPTED if a signal ended the wait.
   */
  wait_readable(): Promise<number> {
    return this.waiter.wait(this.readable, Infinity);
  }

  /**
   * The next datagram that has arrived, into buf, without waiting: its
   * length (the sender is in the socket's last_src_addr and last_src_port),
   * or -1 if none has. Once the socket has closed and its queue is empty, it
   * throws ENETDOWN.
   */
  recv_now(buf: Uint8Array): number {
    const length = this.socket.recv_slice(buf, 0);
    if (length < 0 && !this.socket.is_open()) throw closed();
    return length;
  }

  /** Unbind and drop the socket. */
  close(): void {
    this.socket.close();
    this.ctx.sockets.remove_udp(this.socket);
  }
}

/** An ICMP echo socket with one identifier: what `ping` uses. */
export class IcmpEndpoint extends Endpoint {
  readonly socket: IcmpSocket;

  constructor(ctx: NetContext, ident: number, socket = new IcmpSocket()) {
    admit_datagram();
    super(ctx, socket);
    this.socket = socket;
    socket.bind(ident);
    ctx.sockets.add_icmp(socket);
  }

  /** Queue an echo request; false if the send queue is full. */
  send_echo(addr: number, seq_no: number, data: Uint8Array): boolean {
    const queued = this.socket.send_echo(addr, seq_no, data);
    this.ctx.request_poll(addr);
    return queued;
  }

  /** Wait up to `timeout_us` for a reply; true if one is waiting in the socket. */
  async wait_reply(timeout_us: number): Promise<boolean> {
    const s = this.socket;
    const ready = await this.wait(() => s.can_recv() || !s.is_open(), timeout_us);
    if (ready && !s.can_recv()) throw closed();
    return ready;
  }

  /** Drop the socket. */
  close(): void {
    this.ctx.sockets.remove_icmp(this.socket);
  }
}

/** Send one echo request and wait for its reply; resolves to the round-trip time in µs, or -1 on timeout. */
export async function ping(ctx: NetContext, addr: number, seq_no: number, timeout_us: number, data = new Uint8Array(56)): Promise<number> {
  const endpoint = new IcmpEndpoint(ctx, (Math.random() * 0xffff) | 0);
  const sent_at = ctx.now_us();
  endpoint.send_echo(addr, seq_no, data);
  const buf = new Uint8Array(data.length);
  try {
    for (;;) {
      const left = sent_at + timeout_us - ctx.now_us();
      if (left <= 0 || !(await endpoint.wait_reply(left))) return -1;
      while (endpoint.socket.recv_echo(buf) >= 0) {
        const s = endpoint.socket;
        if (s.last_src_addr === addr && s.last_seq_no === (seq_no & 0xffff)) return ctx.now_us() - sent_at;
      }
    }
  } finally {
    endpoint.close();
  }
}
