// A small blocking socket API for kernel threads: each call queues work on a
// socket and sleeps on the injected Waiter until the socket can make progress.
// Whoever owns the interface (the kernel's net thread, or a test loop) keeps
// calling poll; sockets wake waiters through on_state_change.
import { Interface } from '../iface/interface';
import { SocketSet } from './socket_set';
import { ephemeral_port, TcpConfig, TcpSocket, TcpState } from './tcp';
import { UdpSocket } from './udp';
import { IcmpSocket } from './icmp';
import { Waiter } from './waiter';

export interface NetContext {
  /** The interface that routes to `addr` (it picks the source address), or null. */
  route(addr: number): Interface | null;
  sockets: SocketSet;
  waiter: Waiter;
  now_us(): number;
}

export class NetError extends Error {}

export class TcpStream {
  constructor(private readonly ctx: NetContext, readonly socket: TcpSocket) {
    socket.on_state_change = () => ctx.waiter.wake();
  }

  /** Read at least one byte into buf; 0 means the peer closed. */
  async read(buf: Uint8Array): Promise<number> {
    const s = this.socket;
    await this.ctx.waiter.wait_until(() => s.can_recv() || !s.may_recv());
    if (!s.can_recv() && s.error !== '') throw new NetError(`connection ${s.error}`);
    return s.recv_slice(buf);
  }

  /** Queue all of buf for sending, sleeping while the send buffer is full. */
  async write(buf: Uint8Array): Promise<void> {
    const s = this.socket;
    let done = 0;
    while (done < buf.length) {
      await this.ctx.waiter.wait_until(() => s.can_send() || !s.may_send());
      if (!s.may_send()) throw new NetError(`connection ${s.error || 'closed'}`);
      done += s.send_slice(buf, done);
      this.ctx.waiter.request_poll();
    }
  }

  /**
   * Send FIN and wait until the connection is fully closed (or in TIME-WAIT).
   * The interface drops the socket from its set once it reaches CLOSED.
   */
  async close(): Promise<void> {
    const s = this.socket;
    s.reap_when_closed = true;
    s.close();
    this.ctx.waiter.request_poll();
    await this.ctx.waiter.wait_until(() => s.state === TcpState.Closed || s.state === TcpState.TimeWait);
  }

  abort(): void {
    this.socket.reap_when_closed = true;
    this.socket.abort();
  }
}

export async function tcp_connect(ctx: NetContext, addr: number, port: number, config: Partial<TcpConfig> = {}): Promise<TcpStream> {
  const socket = ctx.sockets.add_tcp(new TcpSocket(config));
  const stream = new TcpStream(ctx, socket);
  const iface = ctx.route(addr);
  if (iface === null) {
    ctx.sockets.remove_tcp(socket);
    throw new NetError('Network is unreachable');
  }
  iface.tcp_connect(ctx.now_us(), socket, addr, port, ephemeral_port());
  ctx.waiter.request_poll(); // let the poller send the SYN
  await ctx.waiter.wait_until(() => socket.state !== TcpState.SynSent && socket.state !== TcpState.SynReceived);
  if (socket.state !== TcpState.Established) {
    ctx.sockets.remove_tcp(socket);
    throw new NetError(`connect failed: ${socket.error || TcpState[socket.state]}`);
  }
  return stream;
}

export class TcpListener {
  readonly socket: TcpSocket;

  constructor(private readonly ctx: NetContext, port: number, backlog = 8, config: Partial<TcpConfig> = {}) {
    this.socket = ctx.sockets.add_tcp(new TcpSocket(config));
    this.socket.on_state_change = () => ctx.waiter.wake();
    this.socket.listen(port, backlog);
  }

  async accept(): Promise<TcpStream> {
    // Wait conditions may be evaluated any number of times: this one only looks.
    for (;;) {
      await this.ctx.waiter.wait_until(() => this.socket.can_accept() || this.socket.state !== TcpState.Listen);
      if (this.socket.state !== TcpState.Listen) throw new NetError('listener closed');
      const child = this.socket.accept();
      if (child !== null) return new TcpStream(this.ctx, child);
    }
  }

  close(): void {
    this.socket.close();
    this.ctx.sockets.remove_tcp(this.socket);
  }
}

export class UdpEndpoint {
  readonly socket = new UdpSocket();

  constructor(private readonly ctx: NetContext, port = 0) {
    ctx.sockets.add_udp(this.socket);
    this.socket.on_state_change = () => ctx.waiter.wake();
    this.socket.bind(port);
  }

  async send_to(data: Uint8Array, addr: number, port: number): Promise<void> {
    await this.ctx.waiter.wait_until(() => this.socket.can_send());
    this.socket.send_slice(data, addr, port);
    this.ctx.waiter.request_poll();
  }

  /** Receive one datagram into buf: its length and sender. */
  async recv_from(buf: Uint8Array): Promise<{ length: number; addr: number; port: number }> {
    await this.ctx.waiter.wait_until(() => this.socket.can_recv());
    const length = this.socket.recv_slice(buf);
    return { length, addr: this.socket.last_src_addr, port: this.socket.last_src_port };
  }

  close(): void {
    this.socket.close();
    this.ctx.sockets.remove_udp(this.socket);
  }
}

/** Send one echo request and wait for its reply; resolves to the round-trip time in µs, or -1 on timeout. */
export async function ping(ctx: NetContext, addr: number, seq_no: number, timeout_us: number, data = new Uint8Array(56)): Promise<number> {
  const socket = ctx.sockets.add_icmp(new IcmpSocket());
  socket.on_state_change = () => ctx.waiter.wake();
  socket.bind((Math.random() * 0xffff) | 0);
  const sent_at = ctx.now_us();
  socket.send_echo(addr, seq_no, data);
  ctx.waiter.request_poll();
  const buf = new Uint8Array(data.length);
  let rtt = -1;
  await ctx.waiter.wait_until(() => {
    while (socket.recv_echo(buf) >= 0) {
      if (socket.last_src_addr === addr && socket.last_seq_no === (seq_no & 0xffff)) rtt = ctx.now_us() - sent_at;
    }
    return rtt >= 0 || ctx.now_us() - sent_at >= timeout_us;
  });
  ctx.sockets.remove_icmp(socket);
  return rtt;
}
