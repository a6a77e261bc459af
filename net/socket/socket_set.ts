// The sockets an interface serves, kept in one array per kind so the loops
// over them stay monomorphic, with what TCP counts and may hold in them. A
// segment finds its TCP socket through a table keyed by the remote address
// and both ports (listeners under remote 0:0), chained through the sockets
// themselves: with thousands of connections, demultiplexing stays a lookup
// and a compare or two, and the table allocates only when a key first appears.
import { TcpSocket, TcpState, type SocketOwner } from "./tcp";
import { TcpExtStats } from "./tcp_ext";
import { UdpSocket } from "./udp";
import { IcmpSocket } from "./icmp";

/** The demultiplexing key of a remote address and port and a local port: a 32-bit mix, chained on collisions. */
function demux_key(remote_addr: number, remote_port: number, local_port: number): number {
  return (Math.imul(remote_addr ^ ((remote_port << 16) | local_port), 0x9e3779b1) ^ remote_port) >>> 0;
}

/** The TCP sockets a namespace may hold unless told otherwise (see SocketSet.tcp_max_sockets). */
export const TCP_MAX_SOCKETS = 4096;

/** The sockets an interface serves, one array per kind (TCP, UDP, ICMP) so the loops stay monomorphic. */
export class SocketSet {
  readonly tcp: TcpSocket[] = [];
  readonly udp: UdpSocket[] = [];
  readonly icmp: IcmpSocket[] = [];
  /**
   * Bumped by every change of any socket here that can give an interface
   * something to send or move a deadline: an interface that saw nothing due
   * at the last count skips the sockets until the count or the clock moves.
   */
  changes = 0;
  /** tcp_closed_count() when this set's closed sockets were last reaped. */
  tcp_closings_reaped = -1;
  /** What TCP counted here (Linux's TcpExt MIB of a namespace). */
  readonly tcp_ext = new TcpExtStats();
  /** The most TCP sockets (listeners and connections in any state) the set may hold; new ones beyond are refused. */
  tcp_max_sockets = TCP_MAX_SOCKETS;
  /** Answer a SYN with a cookie when the listener's half-open queue is full (Linux's tcp_syncookies=1); else drop it. */
  syncookies = true;
  /** Connections and listeners that are not CLOSED, by demux_key(); a chain through TcpSocket.demux_next. */
  private readonly tcp_table = new Map<number, TcpSocket>();

  add_tcp(socket: TcpSocket): TcpSocket {
    this.tcp.push(socket);
    this.adopt(socket);
    this.tcp_rehash(socket);
    return socket;
  }
  add_udp(socket: UdpSocket): UdpSocket {
    this.udp.push(socket);
    this.adopt(socket);
    return socket;
  }
  add_icmp(socket: IcmpSocket): IcmpSocket {
    this.icmp.push(socket);
    this.adopt(socket);
    return socket;
  }

  private adopt(socket: { owner: SocketOwner | null }): void {
    socket.owner = this;
    this.changes++;
  }

  remove_tcp(socket: TcpSocket): void {
    this.tcp_unhash(socket);
    remove(this.tcp, socket);
  }

  /** The connection (not listener) a segment to dst_addr:dst_port from src_addr:src_port belongs to, or null. */
  tcp_lookup(src_addr: number, src_port: number, dst_addr: number, dst_port: number): TcpSocket | null {
    let socket = this.tcp_table.get(demux_key(src_addr, src_port, dst_port)) ?? null;
    for (; socket !== null; socket = socket.demux_next) {
      if (socket.matches(src_addr, src_port, dst_addr, dst_port)) return socket;
    }
    return null;
  }

  /** The listener that takes a SYN to dst_addr:dst_port, or null. */
  tcp_listener(dst_addr: number, dst_port: number): TcpSocket | null {
    let socket = this.tcp_table.get(demux_key(0, 0, dst_port)) ?? null;
    for (; socket !== null; socket = socket.demux_next) {
      if (socket.accepts_syn(dst_addr, dst_port)) return socket;
    }
    return null;
  }

  /** A socket's addresses or state changed: file it again under its key (or under none, once CLOSED). */
  tcp_rehash(socket: TcpSocket): void {
    this.tcp_unhash(socket);
    if (socket.state === TcpState.Closed) return;
    const key =
      socket.state === TcpState.Listen
        ? demux_key(0, 0, socket.local_port)
        : demux_key(socket.remote_addr, socket.remote_port, socket.local_port);
    socket.demux_key = key;
    socket.demux_next = this.tcp_table.get(key) ?? null;
    this.tcp_table.set(key, socket);
  }

  private tcp_unhash(socket: TcpSocket): void {
    const key = socket.demux_key;
    if (key < 0) return;
    socket.demux_key = -1;
    const head = this.tcp_table.get(key);
    if (head === socket) {
      if (socket.demux_next !== null) this.tcp_table.set(key, socket.demux_next);
      else this.tcp_table.delete(key);
    } else {
      for (let s = head ?? null; s !== null; s = s.demux_next) {
        if (s.demux_next === socket) {
          s.demux_next = socket.demux_next;
          break;
        }
      }
    }
    socket.demux_next = null;
  }

  /** Whether a TCP socket (listening or connected) has `port` as its local port. */
  tcp_port_in_use(port: number): boolean {
    for (let i = 0; i < this.tcp.length; i++) if (this.tcp[i].local_port === port) return true;
    return false;
  }
  remove_udp(socket: UdpSocket): void {
    remove(this.udp, socket);
  }
  remove_icmp(socket: IcmpSocket): void {
    remove(this.icmp, socket);
  }
}

function remove<T>(list: T[], item: T): void {
  const i = list.indexOf(item);
  if (i >= 0) list.splice(i, 1);
}
