// The sockets an interface serves, kept in one array per kind so the loops
// over them stay monomorphic.
import { TcpSocket, type SocketOwner } from './tcp';
import { UdpSocket } from './udp';
import { IcmpSocket } from './icmp';

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

  add_tcp(socket: TcpSocket): TcpSocket { this.tcp.push(socket); this.adopt(socket); return socket; }
  add_udp(socket: UdpSocket): UdpSocket { this.udp.push(socket); this.adopt(socket); return socket; }
  add_icmp(socket: IcmpSocket): IcmpSocket { this.icmp.push(socket); this.adopt(socket); return socket; }

  private adopt(socket: { owner: SocketOwner | null }): void {
    socket.owner = this;
    this.changes++;
  }

  remove_tcp(socket: TcpSocket): void { remove(this.tcp, socket); }

  /** Whether a TCP socket (listening or connected) has `port` as its local port. */
  tcp_port_in_use(port: number): boolean {
    for (let i = 0; i < this.tcp.length; i++) if (this.tcp[i].local_port === port) return true;
    return false;
  }
  remove_udp(socket: UdpSocket): void { remove(this.udp, socket); }
  remove_icmp(socket: IcmpSocket): void { remove(this.icmp, socket); }
}

function remove<T>(list: T[], item: T): void {
  const i = list.indexOf(item);
  if (i >= 0) list.splice(i, 1);
}
