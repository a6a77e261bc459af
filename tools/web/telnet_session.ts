// A Telnet session to the guest over the in-page network stack (tools/hostnet
// running napkin's own net/ as the NIC's wire peer), reconnecting whenever
// the connection ends or is refused (telnetd not up yet). Text from the guest
// comes out with Telnet commands removed; text going in is escaped.
import { HostStack, host_now_us } from "../hostnet/host_stack";
import { ephemeral_port, TcpSocket, TcpState } from "../../net/socket/tcp";
import { TelnetClient, telnet_encode } from "./telnet_client";

export const TELNET_PORT = 23;
const RETRY_MS = 2000;

export interface TelnetEvents {
  on_connecting(): void;
  on_text(text: Uint8Array): void;
  /** reason: the socket's error ('refused', 'reset', 'timeout') or 'closed'. */
  on_closed(reason: string): void;
}

export class TelnetSession {
  private socket: TcpSocket | null = null;
  private readonly rx_chunk = new Uint8Array(4096);
  private readonly encoder = new TextEncoder();

  constructor(
    private readonly stack: HostStack,
    readonly guest: number,
    private readonly events: TelnetEvents,
  ) {
    this.connect();
  }

  /** The local TCP port of the current connection (0 when none). */
  get local_port(): number {
    return this.socket?.local_port ?? 0;
  }

  /** Send text typed by the user; dropped while not connected. */
  send(text: string): void {
    const socket = this.socket;
    if (!socket || !socket.may_send()) return;
    socket.send_slice(telnet_encode(this.encoder.encode(text)));
    this.stack.poll_soon();
  }

  private connect(): void {
    this.events.on_connecting();
    const socket = this.stack.sockets.add_tcp(new TcpSocket());
    socket.reap_when_closed = true; // the interface drops it from the set once closed
    const telnet = new TelnetClient();
    socket.on_state_change = () => this.pump(socket, telnet);
    this.socket = socket;
    this.stack.iface.tcp_connect(host_now_us(), socket, this.guest, TELNET_PORT, ephemeral_port());
    this.stack.poll();
  }

  /** Hand over what arrived, answer negotiation, notice the end. */
  private pump(socket: TcpSocket, telnet: TelnetClient): void {
    while (socket.can_recv()) {
      const n = socket.recv_slice(this.rx_chunk);
      const { text, reply } = telnet.receive(this.rx_chunk.subarray(0, n));
      if (text.length > 0) this.events.on_text(text);
      if (reply.length > 0) socket.send_slice(reply);
    }
    this.stack.poll_soon();
    if (socket.state !== TcpState.Closed && socket.state !== TcpState.CloseWait) return;
    if (socket.state === TcpState.CloseWait) socket.close(); // the guest hung up: finish our side
    socket.on_state_change = null;
    this.socket = null;
    this.events.on_closed(socket.error || "closed");
    setTimeout(() => this.connect(), RETRY_MS);
  }
}
