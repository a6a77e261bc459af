// Another machine on the guest's user network, beside the gateway: a
// HostStack with its own MAC and one or more addresses, on the same wire.
// Tests and benchmarks use stations to reach the guest from addresses other
// than the gateway's (which every port-forwarded client shares), as a
// second user or as an attacker, and drive the TCP connections directly:
// thousands of them cost a few kilobytes each, and no host socket. An
// address can be made deaf: the station then ignores every frame to it, as
// if that machine had vanished from the wire.
import { TcpSocket, TcpState, ephemeral_port } from "../../net/socket/tcp";
import { ipv4 } from "../../net/wire/address";
import { HostStack, host_now_us } from "./host_stack";
import { V86Link } from "./v86_link";

/** Small buffers: a station's connections carry a login or a few lines at most. */
const BUFFER_BYTES = 4096;
const ETHERTYPE_IPV4 = 0x0800;
const ETHERTYPE_ARP = 0x0806;

/** The wire as the station hears it: frames to a deaf address never reach its stack. */
class StationLink extends V86Link {
  readonly deaf = new Set<number>();

  override receive(now_us: number): ReturnType<V86Link["receive"]> {
    for (;;) {
      const frame = super.receive(now_us);
      if (frame === null || this.deaf.size === 0 || !this.deaf.has(destination(frame.buffer))) return frame;
    }
  }
}

/** The IPv4 address a frame is for (the target of an ARP request), or 0. */
function destination(frame: Uint8Array): number {
  const type = (frame[12] << 8) | frame[13];
  const at = type === ETHERTYPE_IPV4 ? 30 : type === ETHERTYPE_ARP ? 38 : -1;
  if (at < 0 || frame.length < at + 4) return 0;
  return ((frame[at] << 24) | (frame[at + 1] << 16) | (frame[at + 2] << 8) | frame[at + 3]) >>> 0;
}

/** What a station needs: v86's bus (or a fake one), its addresses with prefix ("10.0.2.66/24"), its MAC. */
export interface StationConfig {
  addresses: string[];
  mac: number;
}

/** One TCP connection from a station, with what it received kept as text. */
export class StationConnection {
  readonly socket = new TcpSocket({ rx_buffer_size: BUFFER_BYTES, tx_buffer_size: BUFFER_BYTES });
  /** Every byte received, one character each. */
  text = "";

  constructor(private readonly station: Station) {}

  get state(): TcpState {
    return this.socket.state;
  }

  /** Queue text (one byte per character) and send it. */
  send(text: string): void {
    this.socket.send_slice(Uint8Array.from(text, (c) => c.charCodeAt(0) & 0xff));
    this.station.stack.poll_soon();
  }

  /** Half close: send FIN, keep receiving. */
  close(): void {
    this.socket.close();
    this.station.stack.poll_soon();
  }

  /** Reset the connection. */
  abort(): void {
    this.socket.abort();
    this.station.stack.poll_soon();
  }
}

/** A machine on the wire with its own addresses, whose connections the caller drives. */
export class Station {
  readonly stack: HostStack;
  /** Its addresses, the first one the stack's own. */
  readonly addresses: number[];
  /** Connections not yet closed on both sides. */
  readonly connections = new Set<StationConnection>();
  private readonly rx = new Uint8Array(BUFFER_BYTES);
  private readonly link: StationLink;

  constructor(bus: ConstructorParameters<typeof V86Link>[0], config: StationConfig) {
    this.link = new StationLink(bus);
    this.stack = new HostStack(this.link, { address: config.addresses[0], mac: config.mac });
    for (const extra of config.addresses.slice(1)) {
      const [address, prefix] = extra.split("/");
      this.stack.iface.add_address(ipv4(address), Number(prefix ?? 24));
    }
    this.addresses = config.addresses.map((a) => ipv4(a.split("/")[0]));
    this.stack.on_poll.push(() => this.drain());
  }

  /** Open a connection from `from` (one of the station's addresses) to `to`:`port`. */
  connect(from: number, to: number, port: number): StationConnection {
    const connection = new StationConnection(this);
    const socket = connection.socket;
    socket.reap_when_closed = true;
    this.stack.sockets.add_tcp(socket);
    const local_port = ephemeral_port((p) => this.stack.sockets.tcp_port_in_use(p));
    socket.connect(host_now_us(), to, port, from, local_port, this.stack.iface.tcp_mss);
    this.connections.add(connection);
    this.stack.poll_soon();
    return connection;
  }

  /** From now on ignore every frame sent to `address` (one of the station's), as a machine that vanished would. */
  deafen(address: number): void {
    this.link.deaf.add(address);
  }

  /** Stop the station: it answers nothing from now on. */
  stop(): void {
    this.stack.stop();
  }

  /** Take in what arrived on every connection, and forget those that are over. */
  private drain(): void {
    for (const connection of this.connections) {
      const socket = connection.socket;
      for (let n; (n = socket.recv_slice(this.rx)) > 0;) connection.text += String.fromCharCode(...this.rx.subarray(0, n));
      if (socket.state === TcpState.Closed || socket.state === TcpState.TimeWait) this.connections.delete(connection);
    }
  }
}
