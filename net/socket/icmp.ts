// An ICMP echo socket, enough for `ping`: send echo requests with one
// identifier and receive the matching replies.
import { PacketQueue } from "../storage/packet_queue";
import { Icmpv4Repr, ICMP_ECHO_REQUEST } from "../wire/icmpv4";
import type { SocketOwner } from "./tcp";

/** An ICMP echo socket for ping: sends echo requests with its identifier and queues the matching replies. */
export class IcmpSocket {
  ident = -1;
  on_state_change: (() => void) | null = null;
  /** The socket set it is in (SocketSet sets this), told when an echo request is queued. */
  owner: SocketOwner | null = null;
  /** Sender and sequence number of the reply most recently returned by recv_echo(). */
  last_src_addr = 0;
  last_seq_no = 0;
  readonly rx: PacketQueue;
  readonly tx: PacketQueue;

  constructor(max_packets = 8, buffer_size = 8 * 1024) {
    this.rx = new PacketQueue(max_packets, buffer_size);
    this.tx = new PacketQueue(max_packets, buffer_size);
  }

  bind(ident: number): void {
    this.ident = ident & 0xffff;
  }
  /** Stop receiving; callers waiting on the socket are told. */
  close(): void {
    this.ident = -1;
    if (this.on_state_change !== null) this.on_state_change();
  }
  is_open(): boolean {
    return this.ident >= 0;
  }
  can_recv(): boolean {
    return !this.rx.is_empty();
  }

  send_echo(dst_addr: number, seq_no: number, data: Uint8Array, offset = 0, length = data.length - offset): boolean {
    const queued = this.tx.put(data, offset, length, dst_addr, seq_no & 0xffff);
    if (this.owner !== null) this.owner.changes++;
    return queued;
  }

  /** Copy the next echo reply's data into dst; returns its length or -1 when none. */
  recv_echo(dst: Uint8Array, offset = 0): number {
    const rx = this.rx;
    const len = rx.take(dst, offset);
    this.last_src_addr = rx.taken_addr;
    this.last_seq_no = rx.taken_aux;
    return len;
  }

  // ---- Interface side -----------------------------------------------------

  process_echo_reply(src_addr: number, seq_no: number, payload: Uint8Array, offset: number, length: number): boolean {
    if (!this.rx.put(payload, offset, length, src_addr, seq_no)) return false;
    if (this.on_state_change !== null) this.on_state_change();
    return true;
  }

  /** Fill repr with the next echo request; returns its destination or -1. */
  dispatch(repr: Icmpv4Repr): number {
    if (this.tx.is_empty()) return -1;
    repr.echo(ICMP_ECHO_REQUEST, this.ident, this.tx.peek_aux(), this.tx.payload, this.tx.peek_offset(), this.tx.peek_len());
    return this.tx.peek_addr();
  }

  dispatched(): void {
    this.tx.dequeue();
  }
}
