// Port forwarding into the guest, as QEMU's `hostfwd=tcp::2323-:23`: a Node
// net.Server on the host, and for each connection it accepts a host-stack
// TcpSocket connected to the guest's port, with bytes copied both ways.
//   client -> guest: chunks wait in `pending` until the socket's send buffer
//     takes them; over PENDING_HIGH bytes the client is paused.
//   guest -> client: read from the socket only while the client's write
//     buffer drains, so a slow client closes the guest's TCP window.
//   A half close (FIN) goes through either way; a reset or a vanished client
//   aborts the other side. Node-only: the host stack itself stays portable.
// At most max_connections bridges live at once: one more client is reset at
// once, before it costs the guest anything, and counted in `refused`.
import net from "net";
import { TcpSocket, TcpState, ephemeral_port } from "../../net/socket/tcp";
import { HostStack, host_now_us } from "./host_stack";

export interface HostFwd {
  /** Host port to listen on (0: any free one). */
  host_port: number;
  guest_port: number;
  /** Host address to listen on; QEMU's default is every address, ours is loopback only. */
  bind: string;
}

/** QEMU's syntax: tcp:[HOSTADDR]:HOSTPORT-[GUESTADDR]:GUESTPORT (the guest address is always the lease). */
export function parse_hostfwd(spec: string): HostFwd {
  const m = /^tcp:(?:([\d.]*):)?(\d+)-(?:[\d.]*):(\d+)$/.exec(spec);
  const ports = m ? [Number(m[2]), Number(m[3])] : [];
  if (!m || ports.some((p) => p > 65535) || ports[1] === 0) throw new Error(`bad --hostfwd '${spec}' (want tcp:HOSTPORT-:GUESTPORT)`);
  return { host_port: ports[0], guest_port: ports[1], bind: m[1] || "127.0.0.1" };
}

/** Connections a forward carries at once unless told otherwise: as many as telnetd serves (32 sessions, 32 logging in). */
export const DEFAULT_MAX_CONNECTIONS = 64;
const PENDING_HIGH = 64 * 1024;
const RX_CHUNK = 16 * 1024;

export class PortForward {
  readonly bridges = new Set<Bridge>();
  /** Clients reset because max_connections were already open. */
  refused = 0;
  /** Told of each refusal, with the count so far. */
  on_refuse: ((refused: number) => void) | null = null;
  private readonly server: net.Server;

  constructor(
    host: HostStack,
    guest_addr: number,
    readonly fwd: HostFwd,
    readonly max_connections = DEFAULT_MAX_CONNECTIONS,
  ) {
    this.server = net.createServer({ allowHalfOpen: true }, (client) => {
      if (this.bridges.size >= max_connections) {
        this.refused++;
        client.on("error", () => {}); // the reset may race with the client's own writes
        client.resetAndDestroy();
        this.on_refuse?.(this.refused);
        return;
      }
      const bridge = new Bridge(host, client, guest_addr, fwd.guest_port, () => this.bridges.delete(bridge));
      this.bridges.add(bridge);
    });
  }

  /** Start listening; resolves with the port (useful when host_port is 0). */
  listen(): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(this.fwd.host_port, this.fwd.bind, () => resolve((this.server.address() as net.AddressInfo).port));
    });
  }

  /** Stop listening and drop every connection. */
  close(): void {
    this.server.close();
    for (const bridge of this.bridges) bridge.destroy();
  }
}

class Bridge {
  private readonly socket = new TcpSocket();
  private readonly pending: Uint8Array[] = [];
  private pending_bytes = 0;
  private readonly rx = new Uint8Array(RX_CHUNK);
  private client_ended = false; // the client sent FIN
  private client_closed = false; // the client socket is gone
  private fin_sent = false;
  private eof_sent = false;
  private connected = false;
  private finished = false;
  private readonly hook = () => this.pump();

  constructor(
    private readonly host: HostStack,
    private readonly client: net.Socket,
    guest_addr: number,
    guest_port: number,
    private readonly on_done: () => void,
  ) {
    client.setNoDelay(true);
    this.socket.reap_when_closed = true; // the interface drops it once CLOSED
    host.sockets.add_tcp(this.socket);
    host.iface.tcp_connect(host_now_us(), this.socket, guest_addr, guest_port, ephemeral_port());
    host.on_poll.push(this.hook);
    client.on("data", (chunk: Buffer) => {
      this.pending.push(new Uint8Array(chunk)); // a copy: Node may reuse the chunk's memory
      this.pending_bytes += chunk.length;
      if (this.pending_bytes > PENDING_HIGH) client.pause();
      this.kick();
    });
    client.on("end", () => {
      this.client_ended = true;
      this.kick();
    });
    client.on("drain", () => this.kick());
    client.on("error", () => {}); // "close" follows
    client.on("close", () => {
      this.client_closed = true;
      this.kick();
    });
    host.poll_soon();
  }

  destroy(): void {
    this.client.destroy();
    this.socket.abort();
    this.host.poll_soon();
  }

  /** Pump now, and have the stack send whatever that queued. */
  private kick(): void {
    this.pump();
    this.host.poll_soon();
  }

  /** Move what can move; called after every host poll and on every client event. */
  private pump(): void {
    if (this.finished) return;
    const s = this.socket;
    if (s.state === TcpState.Established) this.connected = true;
    // client -> guest
    while (this.pending.length > 0 && s.can_send()) {
      const chunk = this.pending[0];
      const n = s.send_slice(chunk);
      this.pending_bytes -= n;
      if (n < chunk.length) {
        this.pending[0] = chunk.subarray(n);
        break;
      }
      this.pending.shift();
    }
    if (this.pending_bytes <= PENDING_HIGH && this.client.isPaused()) this.client.resume();
    if (this.client_ended && this.pending_bytes === 0 && !this.fin_sent && s.may_send()) {
      s.close(); // half close: the guest reads EOF, and may still answer
      this.fin_sent = true;
    }
    // guest -> client
    while (s.can_recv() && !this.client.writableNeedDrain && !this.client_closed) {
      const n = s.recv_slice(this.rx);
      this.client.write(this.rx.slice(0, n));
    }
    if (s.at_eof() && !this.eof_sent && !this.client_closed) {
      this.client.end();
      this.eof_sent = true;
    }
    // Either side gone for good.
    const guest_gone = s.state === TcpState.Closed || s.state === TcpState.TimeWait;
    if (guest_gone && !this.client_closed) {
      if (s.error !== "" || !this.connected)
        this.client.resetAndDestroy(); // reset or refused: so is the client
      else if (!s.can_recv() && !this.eof_sent) this.client.end();
    }
    if (this.client_closed && !guest_gone && !(this.fin_sent && s.at_eof())) s.abort();
    if (this.client_closed && (guest_gone || (this.fin_sent && s.at_eof()))) this.finish();
  }

  private finish(): void {
    this.finished = true;
    const hooks = this.host.on_poll;
    hooks.splice(hooks.indexOf(this.hook), 1);
    this.on_done();
  }
}
