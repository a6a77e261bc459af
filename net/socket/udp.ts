// A UDP socket: bind to a port, queue datagrams in and out.
import { PacketQueue } from "../storage/packet_queue";
import { UdpRepr } from "../wire/udp";
import { ephemeral_port, type SocketOwner } from "./tcp";

/** A UDP socket: a local port (and optionally address) with bounded queues of datagrams in and out. */
export class UdpSocket {
  local_addr = 0;
  local_port = 0;
  /** SO_BINDTODEVICE: the ifindex of the only interface that sends this socket's datagrams (DHCP needs it); 0 for any. */
  bound_ifindex = 0;
  on_state_change: (() => void) | null = null;
  /** The socket set it is in (SocketSet sets this), told when a datagram is queued to send. */
  owner: SocketOwner | null = null;
  /** Source of the datagram most recently returned by recv_slice(). */
  last_src_addr = 0;
  last_src_port = 0;
  readonly rx: PacketQueue;
  readonly tx: PacketQueue;

  constructor(max_packets = 16, buffer_size = 16 * 1024) {
    this.rx = new PacketQueue(max_packets, buffer_size);
    this.tx = new PacketQueue(max_packets, buffer_size);
  }

  /** Bind to a port (0 picks an ephemeral one) and optionally one local address. */
  bind(local_port: number, local_addr = 0): void {
    this.local_port = local_port === 0 ? ephemeral_port() : local_port;
    this.local_addr = local_addr;
  }

  is_open(): boolean {
    return this.local_port !== 0;
  }
  can_send(): boolean {
    return !this.tx.is_full();
  }
  can_recv(): boolean {
    return !this.rx.is_empty();
  }

  /** Queue a datagram; false when the queue is full (or the socket unbound). */
  send_slice(data: Uint8Array, dst_addr: number, dst_port: number, offset = 0, length = data.length - offset): boolean {
    if (this.local_port === 0) this.bind(0);
    const queued = this.tx.put(data, offset, length, dst_addr, dst_port);
    if (this.owner !== null) this.owner.changes++;
    return queued;
  }

  /**
   * Copy the next datagram into dst; returns its length (truncated to fit)
   * or -1 when none. (Nobody is told: taking a datagram ends no wait.)
   */
  recv_slice(dst: Uint8Array, offset = 0): number {
    const rx = this.rx;
    const len = rx.take(dst, offset);
    this.last_src_addr = rx.taken_addr;
    this.last_src_port = rx.taken_aux;
    return len;
  }

  close(): void {
    this.local_port = 0;
    this.notify();
  }

  // ---- Interface side -----------------------------------------------------

  accepts(dst_addr: number, dst_port: number): boolean {
    return this.local_port === dst_port && (this.local_addr === 0 || this.local_addr === dst_addr);
  }

  /** Store a received datagram; false when the queue is full (the datagram is dropped). */
  process(src_addr: number, src_port: number, payload: Uint8Array, offset: number, length: number): boolean {
    if (!this.rx.put(payload, offset, length, src_addr, src_port)) return false;
    this.notify();
    return true;
  }

  /** Fill repr with the next datagram to send; returns its destination address or -1. */
  dispatch(repr: UdpRepr): number {
    if (this.tx.is_empty()) return -1;
    repr.src_port = this.local_port;
    repr.dst_port = this.tx.peek_aux();
    repr.payload = this.tx.payload;
    repr.payload_offset = this.tx.peek_offset();
    repr.payload_len = this.tx.peek_len();
    return this.tx.peek_addr();
  }

  dispatched(): void {
    this.tx.dequeue();
    this.notify();
  }

  private notify(): void {
    if (this.on_state_change !== null) this.on_state_change();
  }
}
