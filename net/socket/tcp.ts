// A TCP socket: the RFC 9293 state machine with RFC 6298 retransmission timing,
// NewReno congestion control (RFC 5681/6582), delayed ACK, Nagle, zero-window
// probes, keep-alive, TIME-WAIT and RFC 5961 RST/SYN/ACK validation. A
// listener keeps its half-open connections apart from those waiting for
// accept(), and every wait that an unanswering peer could make endless
// (SYN-ACKs, FIN-WAIT-2 after close, zero-window probes) has an end.
//
// The socket never touches the wire: the interface hands it checked segments
// with process(), asks it for the next segment with dispatch(), and confirms
// that segment went out with dispatched(). Nothing here allocates per segment,
// and what runs per segment clamps with comparisons, not Math.min or
// Math.max: in the guest's interpreter those are native calls that cost
// about eight times as much.
import { RingBuffer } from "../storage/ring_buffer";
import { Assembler } from "../storage/assembler";
import { TcpRepr, TCP_ACK, TCP_FIN, TCP_PSH, TCP_RST, TCP_SYN } from "../wire/tcp";
import { seq_add, seq_diff, seq_gt, seq_le, seq_lt } from "./tcp_seq";
import { RttEstimator } from "./tcp_rtt";
import { NewReno } from "./tcp_congestion";
import { secure_tcp_iss } from "./secure_seq";
import { SYNCOOKIE_MAX_AGE, SYNCOOKIE_PERIOD_US } from "./syncookies";
import type { TcpExtStats } from "./tcp_ext";
import { memory_is_short } from "./memory_pressure";

/** The connection states of RFC 9293 §3.3.2. */
export enum TcpState {
  Closed,
  Listen,
  SynSent,
  SynReceived,
  Established,
  FinWait1,
  FinWait2,
  CloseWait,
  Closing,
  LastAck,
  TimeWait,
}

/** Per-socket TCP settings: buffer sizes in bytes, our MSS, Nagle, and timers in µs. */
export interface TcpConfig {
  rx_buffer_size: number;
  tx_buffer_size: number;
  /**
   * The largest MSS we announce; a connection announces the smaller of this
   * and what its interface's MTU allows (Linux's advmss, and TCP_MAXSEG).
   */
  mss: number;
  nagle: boolean;
  /** Delayed-ACK timeout; 0 acknowledges every segment at once. */
  ack_delay_us: number;
  /** Idle time before a keep-alive probe; 0 disables keep-alive. */
  keep_alive_us: number;
  /** 2*MSL. */
  time_wait_us: number;
  /** Give up after this many consecutive retransmission timeouts (or zero-window probes). */
  max_retransmits: number;
  /** The same for a socket its application has closed (Linux's tcp_orphan_retries). */
  orphan_retries: number;
  /** SYN-ACKs a half-open connection sends again before it is dropped (tcp_synack_retries). */
  syn_ack_retries: number;
  /** How long a closed socket waits in FIN-WAIT-2 for the peer's FIN (tcp_fin_timeout). */
  fin_timeout_us: number;
}

/** The largest MSS IPv4 can carry: a 65535-byte datagram less the IPv4 and TCP headers. */
const MAX_IPV4_MSS = 65535 - 40;

/** The fewest segments of its MSS a connection's buffers hold (see set_mss). */
const BUFFER_SEGMENTS = 4;

/** The most a send buffer grows to by itself (see expand_tx_buffer; Linux's tcp_wmem[2] is 4 MiB). */
const TX_BUFFER_MAX = 256 * 1024;

/** The settings a socket gets for whatever its caller leaves out. */
export const DEFAULT_TCP_CONFIG: TcpConfig = {
  rx_buffer_size: 64 * 1024,
  tx_buffer_size: 64 * 1024,
  mss: MAX_IPV4_MSS,
  nagle: true,
  ack_delay_us: 10_000,
  keep_alive_us: 0,
  time_wait_us: 60_000_000,
  max_retransmits: 15, // Linux tcp_retries2
  orphan_retries: 8, // Linux's default (tcp_orphan_retries=0 means 8)
  syn_ack_retries: 5,
  fin_timeout_us: 60_000_000,
};

/** Half-open connections a listener keeps unless told otherwise (Linux's tcp_max_syn_backlog, scaled down). */
export const TCP_MAX_SYN_BACKLOG = 64;

const DEFAULT_PEER_MSS = 536;
const CHALLENGE_ACK_INTERVAL_US = 10_000; // RFC 5961 §7: rate-limit challenge ACKs

/**
 * What a socket tells the set it belongs to: that it changed (see
 * SocketSet.changes), what it counted, and (TCP) that its addresses or its
 * state changed, so the set's demultiplexing table follows.
 */
export interface SocketOwner {
  changes: number;
  readonly tcp_ext: TcpExtStats;
  tcp_rehash(socket: TcpSocket): void;
}

/** What dispatch() decided to send. */
const enum Emit {
  Nothing,
  Syn,
  Data,
  Ack,
  Probe,
  KeepAlive,
  Rst,
}

let tcp_closings = 0;

/** How many times any TCP socket has reached CLOSED: a socket set has something to reap only if this moved. */
export function tcp_closed_count(): number {
  return tcp_closings;
}

const EPHEMERAL_FIRST = 49152;
const EPHEMERAL_LAST = 65535;
let next_ephemeral_port = EPHEMERAL_FIRST;

/**
 * The next local port of the dynamic range (RFC 6335), in turn, skipping
 * those `in_use` reports (tcp_connect passes its socket set's); 0 if every
 * one is taken.
 */
export function ephemeral_port(in_use: (port: number) => boolean = () => false): number {
  for (let tries = 0; tries <= EPHEMERAL_LAST - EPHEMERAL_FIRST; tries++) {
    const port = next_ephemeral_port;
    next_ephemeral_port = port === EPHEMERAL_LAST ? EPHEMERAL_FIRST : port + 1;
    if (!in_use(port)) return port;
  }
  return 0;
}

/** One TCP endpoint, listener or connection; the interface feeds it segments and asks it for the next to send. */
export class TcpSocket {
  state = TcpState.Closed;
  readonly config: TcpConfig;
  /** The socket set it is in (SocketSet sets this), told of every change. */
  owner: SocketOwner | null = null;
  /** Called whenever the socket may have become readable, writable, or changed state. */
  on_state_change: (() => void) | null = null;
  /**
   * The interface removes this socket from its set once CLOSED (listener
   * children until accepted, closed API streams). Set on a connection, it
   * also says nobody holds it any more (Linux's orphan): it is given up
   * sooner (orphan_retries, fin_timeout_us).
   */
  reap_when_closed = false;
  /** Why the connection ended: '', 'reset', 'timeout', 'refused', 'down'. */
  error = "";
  /** The key its socket set's demultiplexing table holds it under, -1 if none (SocketSet.tcp_lookup). */
  demux_key = -1;
  /** The next socket under the same key. */
  demux_next: TcpSocket | null = null;

  local_addr = 0;
  local_port = 0;
  remote_addr = 0;
  remote_port = 0;

  readonly rx: RingBuffer;
  readonly tx: RingBuffer;
  private readonly assembler = new Assembler(8);

  // Listener state: children in SYN-RECEIVED (at most syn_backlog) and
  // established ones waiting for accept() (at most backlog).
  private backlog = 0;
  private syn_backlog = 0;
  private readonly children: TcpSocket[] = [];
  /** Children in SYN-RECEIVED, and children past it (not CLOSED) waiting for accept(): kept as they move. */
  private half_open = 0;
  private waiting = 0;
  /** When this listener last answered a SYN with a cookie. */
  private cookie_sent_at = -Infinity;
  /** A child's listener, until accept() takes it. */
  private listener: TcpSocket | null = null;

  // Send sequence space. tx holds bytes from tx_seq onwards (unacked, then unsent).
  private iss = 0;
  private snd_una = 0;
  private snd_nxt = 0;
  /** Highest sequence number sent; snd_nxt falls back below it after a timeout. */
  private snd_max = 0;
  private snd_wnd = 0;
  private max_snd_wnd = 0;
  private snd_wl1 = 0;
  private snd_wl2 = 0;
  private tx_seq = 0;
  private fin_queued = false;
  /** The largest payload one frame to the peer may carry (its MSS, within ours); the interface cuts larger segments to it. */
  send_mss = DEFAULT_PEER_MSS;
  /** The MSS this connection announces: config.mss, or less if its interface's MTU is smaller. */
  private mss: number;
  private snd_wnd_shift = 0;

  // Receive sequence space.
  private rcv_nxt = 0;
  private rcv_wnd_shift = 0;
  private window_scale_ok = false;
  private fin_received = false;
  /** The window our last segment advertised, and rcv_nxt then (Linux's rcv_wnd and rcv_wup): its right edge is where the peer must stop. */
  private last_adv_wnd = 0;
  private last_adv_at = 0;
  /** The application has read since the last segment told the peer our window: only a read can open it (see window_update_due). */
  private read_since_advertised = false;

  // Acknowledgement policy.
  private ack_now = false;
  private ack_due_at = Infinity;
  private unacked_segments = 0;
  private challenge_ack_at = -Infinity;

  // Retransmission and congestion control.
  private readonly rtt = new RttEstimator();
  private readonly cc = new NewReno();
  private rtx_deadline = Infinity;
  private retransmits = 0;
  /** Retransmit the segment at snd_una once (fast retransmit / partial ACK). */
  private retransmit_one = false;
  private persist_deadline = Infinity;
  /** Segments sent into a zero window since it last opened (or data was acked). */
  private window_probes = 0;
  /** A closed socket in FIN-WAIT-2 gives up at this time. */
  private fin_wait2_until = Infinity;

  private keep_alive_at = Infinity;
  /** poll_at()'s last answer, and whether the socket changed since. */
  private poll_at_cached = Infinity;
  private poll_at_stale = true;
  private time_wait_until = Infinity;
  private rst_pending = false;
  /** Answer an unacceptable ACK with a RST carrying rst_seq as its sequence number. */
  private rst_for_ack = false;
  private rst_seq = 0;
  /** The caller chose the buffer's size (Linux's SO_RCVBUF / SO_SNDBUF locks): set_mss leaves it alone. */
  private rx_size_set: boolean;
  private tx_size_set: boolean;

  constructor(config: Partial<TcpConfig> = {}) {
    this.config = { ...DEFAULT_TCP_CONFIG, ...config };
    this.mss = this.config.mss;
    this.rx_size_set = config.rx_buffer_size !== undefined;
    this.tx_size_set = config.tx_buffer_size !== undefined;
    this.rx = new RingBuffer(this.config.rx_buffer_size);
    this.tx = new RingBuffer(this.config.tx_buffer_size);
    this.rcv_wnd_shift = this.wanted_window_shift();
  }

  /** The smallest window-scale shift that lets us advertise the whole receive buffer. */
  private wanted_window_shift(): number {
    let shift = 0;
    while (shift < 14 && this.rx.capacity >> shift > 0xffff) shift++;
    return shift;
  }

  /**
   * A connection's MSS is known: take `mss` as ours, and let each buffer
   * whose size the caller left to us hold at least BUFFER_SEGMENTS segments
   * of it (as Linux's tcp_init_buffer_space sizes buffers for the MSS), so
   * that with a large MTU the window still has room for more than one
   * segment in flight. Memory is taken only as data arrives.
   */
  private set_mss(mss: number): void {
    this.mss = mss;
    if (!this.rx_size_set) this.rx.raise_capacity(BUFFER_SEGMENTS * mss);
    if (!this.tx_size_set) this.tx.raise_capacity(BUFFER_SEGMENTS * mss);
    this.rcv_wnd_shift = this.wanted_window_shift();
  }

  // ---- Application side -------------------------------------------------

  /** Listen on local_port: at most `backlog` connections wait for accept(), at most `syn_backlog` are half open. */
  listen(local_port: number, backlog = 8, local_addr = 0, syn_backlog = TCP_MAX_SYN_BACKLOG): void {
    this.touch();
    this.reset_connection();
    this.local_addr = local_addr;
    this.local_port = local_port;
    this.backlog = backlog;
    this.syn_backlog = syn_backlog;
    this.cookie_sent_at = -Infinity;
    this.set_state(TcpState.Listen);
    if (this.owner !== null) this.owner.tcp_rehash(this);
  }

  connect(now_us: number, remote_addr: number, remote_port: number, local_addr: number, local_port: number, link_mss: number): void {
    this.touch();
    this.reset_connection();
    this.set_mss(Math.min(this.config.mss, link_mss));
    this.local_addr = local_addr;
    this.local_port = local_port;
    this.remote_addr = remote_addr;
    this.remote_port = remote_port;
    this.init_send_sequence(now_us);
    this.set_state(TcpState.SynSent);
    if (this.owner !== null) this.owner.tcp_rehash(this);
  }

  /** Whether accept() would return a connection (no side effects: safe as a wait condition). */
  can_accept(): boolean {
    return this.waiting > 0;
  }

  /** A connection that completed its handshake, taken off the listener; null if none has. */
  accept(): TcpSocket | null {
    this.touch();
    for (let i = 0; i < this.children.length; i++) {
      const child = this.children[i];
      if (child.state !== TcpState.SynReceived && child.state !== TcpState.Closed) {
        this.children.splice(i, 1);
        this.waiting--;
        child.reap_when_closed = false;
        child.listener = null;
        return child;
      }
    }
    return null;
  }

  /** Queue bytes for sending; returns how many were accepted. */
  send_slice(data: Uint8Array, offset = 0, length = data.length - offset): number {
    this.touch();
    if (!this.may_send()) return 0;
    return this.tx.enqueue_slice(data, offset, length);
  }

  /** Read received bytes; returns how many were copied. */
  recv_slice(dst: Uint8Array, offset = 0, length = dst.length - offset): number {
    const read = this.rx.dequeue_slice(dst, offset, length);
    if (read > 0) {
      // Only a read that took something changes what the socket may send (a window update).
      this.read_since_advertised = true;
      this.touch();
    }
    return read;
  }

  /** Send FIN after the queued data (half close). A listener resets the connections it has not handed out. */
  close(): void {
    this.touch();
    switch (this.state) {
      case TcpState.Listen:
        for (const child of this.forget_children()) child.abort();
        this.set_state(TcpState.Closed);
        break;
      case TcpState.SynSent:
        this.set_state(TcpState.Closed);
        break;
      case TcpState.SynReceived:
      case TcpState.Established:
        this.fin_queued = true;
        this.set_state(TcpState.FinWait1);
        break;
      case TcpState.CloseWait:
        this.fin_queued = true;
        this.set_state(TcpState.LastAck);
        break;
      default:
        break;
    }
  }

  /**
   * The connection is over without another word to the peer (Linux's
   * tcp_done): CLOSED now, with `error` ('down' when the network under it
   * went away), so every caller blocked on it wakes and fails.
   */
  done(error: string): void {
    this.touch();
    this.error = error;
    this.rst_pending = this.rst_for_ack = false;
    this.set_state(TcpState.Closed);
  }

  /** Drop the connection, telling the peer with a RST; `error` says why, for our own callers. */
  abort(error = ""): void {
    this.touch();
    this.error = error;
    if (this.is_synchronized() || this.state === TcpState.SynReceived) this.rst_pending = true;
    else this.set_state(TcpState.Closed);
  }

  is_open(): boolean {
    return this.state !== TcpState.Closed && this.state !== TcpState.TimeWait;
  }
  is_listening(): boolean {
    return this.state === TcpState.Listen;
  }
  is_established(): boolean {
    return this.state === TcpState.Established;
  }
  may_send(): boolean {
    return this.state === TcpState.Established || this.state === TcpState.CloseWait;
  }
  /** Readable data is waiting, or will never come (peer closed or connection gone). */
  may_recv(): boolean {
    return this.accepts_data() || this.rx.length !== 0;
  }
  can_send(): boolean {
    return this.may_send() && !this.tx.is_full();
  }
  /**
   * A blocked writer should wake: the free space is at least half of what
   * is queued (Linux's sk_stream_is_writeable), or it may send no more.
   * Not as soon as a byte is free: then a bulk writer would wake for every
   * ACK, and each wake-up costs two thread switches here.
   */
  send_ready(): boolean {
    if (!this.may_send()) return true;
    const queued = this.tx.length;
    const free = this.tx.capacity - queued;
    return free > 0 && free >= queued >> 1;
  }
  can_recv(): boolean {
    return !this.rx.is_empty();
  }
  /**
   * A read would not wait: data is waiting, or none will ever come
   * (can_recv() or not may_recv(), in one call: a blocked reader's wait
   * asks it several times per wake-up).
   */
  recv_ready(): boolean {
    return this.rx.length !== 0 || !this.accepts_data();
  }
  /** The peer sent FIN and every byte before it has been read. */
  at_eof(): boolean {
    return this.fin_received && this.rx.is_empty();
  }
  send_queue(): number {
    return this.tx.len();
  }
  recv_queue(): number {
    return this.rx.len();
  }
  set_nagle(enabled: boolean): void {
    this.config.nagle = enabled;
    this.touch();
  }
  set_keep_alive(interval_us: number): void {
    this.config.keep_alive_us = interval_us;
    this.touch();
  }

  // ---- Interface side: demultiplexing -----------------------------------

  /** Does this socket own a segment to (dst:dst_port) from (src:src_port)? Exact matches only. */
  matches(src_addr: number, src_port: number, dst_addr: number, dst_port: number): boolean {
    return (
      this.state > TcpState.Listen &&
      this.local_port === dst_port &&
      this.remote_port === src_port &&
      this.remote_addr === src_addr &&
      this.local_addr === dst_addr
    );
  }

  accepts_syn(dst_addr: number, dst_port: number): boolean {
    return this.state === TcpState.Listen && this.local_port === dst_port && (this.local_addr === 0 || this.local_addr === dst_addr);
  }

  /** A listener's queue of connections waiting for accept() is full: a SYN or a handshake's last ACK must wait. */
  accept_queue_full(): boolean {
    return this.waiting >= this.backlog;
  }

  /** A listener holds its most half-open connections: another SYN gets a cookie, or nothing. */
  syn_queue_full(): boolean {
    return this.half_open >= this.syn_backlog;
  }

  /**
   * A listener answering a SYN: a new socket in SYN-RECEIVED, or null when
   * either queue is full. The interface adds the new socket to its socket set.
   */
  spawn(now_us: number, src_addr: number, dst_addr: number, repr: TcpRepr, link_mss: number): TcpSocket | null {
    if (this.accept_queue_full() || this.syn_queue_full()) return null;
    const child = this.new_child(src_addr, dst_addr, repr, link_mss);
    child.init_send_sequence(now_us);
    child.accept_syn(repr);
    child.state = TcpState.SynReceived; // (no one to tell yet)
    this.half_open++;
    return child;
  }

  /** The listener answered a SYN with a cookie (the interface sent it): cookie ACKs are looked for a while. */
  cookie_sent(now_us: number): void {
    this.cookie_sent_at = now_us;
  }

  /** Whether an ACK for no connection may answer one of this listener's cookies (one went out lately). */
  cookies_recent(now_us: number): boolean {
    return now_us - this.cookie_sent_at < SYNCOOKIE_MAX_AGE * SYNCOOKIE_PERIOD_US;
  }

  /**
   * A listener taking the ACK of a checked cookie: a new socket in
   * ESTABLISHED whose ISN was the cookie (the ACK's number less one), with
   * the MSS the cookie carried and no window scaling; null when the accept
   * queue is full. The interface adds it to its set and gives it the ACK.
   */
  spawn_from_cookie(now_us: number, src_addr: number, dst_addr: number, repr: TcpRepr, mss: number, link_mss: number): TcpSocket | null {
    if (this.accept_queue_full()) return null;
    const child = this.new_child(src_addr, dst_addr, repr, link_mss);
    const ack = repr.ack_number;
    child.iss = seq_add(ack, -1);
    child.snd_una = child.snd_nxt = child.snd_max = child.tx_seq = ack;
    child.rcv_nxt = repr.seq_number;
    child.send_mss = Math.max(64, Math.min(mss, child.mss));
    child.window_scale_ok = false;
    child.snd_wnd_shift = child.rcv_wnd_shift = 0;
    child.snd_wnd = child.max_snd_wnd = repr.window_len;
    child.snd_wl1 = repr.seq_number;
    child.snd_wl2 = ack;
    child.cc.reset(child.send_mss);
    if (this.config.keep_alive_us > 0) child.keep_alive_at = now_us + this.config.keep_alive_us;
    child.set_state(TcpState.Established);
    return child;
  }

  /** A child of ours moved from one state to another: keep the counts, and forget it once CLOSED. */
  private child_moved(child: TcpSocket, from: TcpState, to: TcpState): void {
    if (from === TcpState.SynReceived) this.half_open--;
    else if (from !== TcpState.Closed) this.waiting--;
    if (to === TcpState.SynReceived) this.half_open++;
    else if (to !== TcpState.Closed) this.waiting++;
    else this.children.splice(this.children.indexOf(child), 1);
  }

  /** Let every child go (they are no longer ours to count); returns them. */
  private forget_children(): TcpSocket[] {
    const children = this.children.splice(0);
    for (const child of children) child.listener = null;
    this.half_open = this.waiting = 0;
    return children;
  }

  /** A connection of this listener's for the segment `repr` from src_addr to dst_addr, on its list. */
  private new_child(src_addr: number, dst_addr: number, repr: TcpRepr, link_mss: number): TcpSocket {
    const child = new TcpSocket(this.config);
    child.rx_size_set = this.rx_size_set;
    child.tx_size_set = this.tx_size_set;
    child.set_mss(Math.min(this.config.mss, link_mss));
    child.reap_when_closed = true;
    child.listener = this;
    child.local_addr = dst_addr;
    child.local_port = repr.dst_port;
    child.remote_addr = src_addr;
    child.remote_port = repr.src_port;
    child.on_state_change = this.on_state_change;
    this.children.push(child);
    return child;
  }

  // ---- Interface side: input --------------------------------------------

  /** Handle one segment addressed to this (non-listening) socket. Returns true if state or buffers changed. */
  process(now_us: number, repr: TcpRepr): boolean {
    this.touch();
    if (this.next_in_order_data(repr)) return this.take_in_order_data(now_us, repr);
    if (this.state === TcpState.SynSent) return this.process_syn_sent(now_us, repr);
    if (this.state === TcpState.Closed || this.state === TcpState.Listen) return false;

    const flags = repr.flags;
    const seq = repr.seq_number;
    const seg_len = repr.segment_len();
    const window = this.rx.window();

    // The peer's SYN again while ours is unanswered: a retransmitted SYN (our
    // SYN-ACK was lost) or, in a simultaneous open, the peer's SYN-ACK.
    if (this.state === TcpState.SynReceived && flags & TCP_SYN && !(flags & TCP_RST) && seq === seq_add(this.rcv_nxt, -1)) {
      if (flags & TCP_ACK && repr.ack_number === seq_add(this.iss, 1)) {
        this.establish(repr);
        this.ack_now = true;
        return true;
      }
      this.snd_nxt = this.iss;
      return false;
    }

    // RFC 9293 §3.10.7.4 first check: is any of the segment inside our receive window?
    let acceptable: boolean;
    if (seg_len === 0) {
      acceptable = window === 0 ? seq === this.rcv_nxt : this.in_window(seq, window);
    } else {
      acceptable = window > 0 && (this.in_window(seq, window) || this.in_window(seq_add(seq, seg_len - 1), window));
    }
    if (!acceptable) {
      if (!(flags & TCP_RST)) this.ack_now = true;
      if (this.state === TcpState.TimeWait && flags & TCP_FIN) this.time_wait_until = now_us + this.config.time_wait_us;
      return false;
    }

    // RFC 5961 §3: only an exact RST is obeyed; others in the window get a challenge ACK.
    if (flags & TCP_RST) {
      if (seq !== this.rcv_nxt) {
        this.challenge_ack(now_us);
        return false;
      }
      this.error = "reset";
      this.set_state(TcpState.Closed);
      return true;
    }
    // RFC 5961 §4: a SYN on a synchronized connection is answered with a challenge ACK.
    if (flags & TCP_SYN) {
      this.challenge_ack(now_us);
      return false;
    }
    if (!(flags & TCP_ACK)) return false;

    let changed = false;
    const ack = repr.ack_number;
    if (this.state === TcpState.SynReceived) {
      if (!(seq_gt(ack, this.snd_una) && seq_le(ack, this.snd_max))) {
        this.send_rst_for_ack(ack); // RFC 9293: an unacceptable ACK in SYN-RECEIVED gets a RST
        return false;
      }
      if (this.listener !== null && this.listener.accept_queue_full()) {
        // As Linux: drop the ACK; our SYN-ACK goes again, and the peer's next ACK may find room.
        this.count("listen_overflows");
        this.count("listen_drops");
        return false;
      }
      this.establish(repr);
      changed = true;
    }

    if (seq_gt(ack, this.snd_max)) {
      this.ack_now = true; // acks something we never sent
      return changed;
    }
    // RFC 5961 §5: acks older than the largest window the peer ever offered are blind injections.
    if (seq_lt(ack, seq_add(this.snd_una, -this.max_snd_wnd - 1))) {
      this.challenge_ack(now_us);
      return changed;
    }
    if (this.process_ack(now_us, repr)) changed = true;
    if ((this.state as TcpState) === TcpState.Closed) return true; // our FIN in LAST-ACK was acked

    if (repr.payload_len > 0 && this.accepts_data()) {
      if (this.process_payload(now_us, repr)) changed = true;
    }
    if (flags & TCP_FIN && !this.fin_received && seq_add(seq, repr.payload_len) === this.rcv_nxt) {
      this.process_fin(now_us);
      changed = true;
    }
    if (this.config.keep_alive_us > 0) this.keep_alive_at = now_us + this.config.keep_alive_us;
    if (changed) this.notify();
    return changed;
  }

  /**
   * Header prediction (Van Jacobson's, as in BSD): the segment a receiving
   * connection expects next, in order, acknowledging nothing new, with the
   * same window, whose data fits. Most segments of a stream are exactly that,
   * and none of the checks of the general path can change their outcome.
   */
  private next_in_order_data(repr: TcpRepr): boolean {
    return (
      this.state === TcpState.Established &&
      (repr.flags & ~TCP_PSH) === TCP_ACK &&
      repr.seq_number === this.rcv_nxt &&
      repr.ack_number === this.snd_una &&
      repr.window_len << this.snd_wnd_shift === this.snd_wnd &&
      repr.payload_len > 0 &&
      repr.payload_len <= this.rx.window() &&
      this.assembler.is_empty()
    );
  }

  /** The general path's outcome for such a segment: its data appended, rcv_nxt moved, the ACK policy applied. */
  private take_in_order_data(now_us: number, repr: TcpRepr): boolean {
    const len = repr.payload_len;
    this.rx.enqueue_slice(repr.payload, repr.payload_offset, len);
    this.rcv_nxt = (this.rcv_nxt + len) | 0;
    this.snd_wl1 = repr.seq_number;
    this.snd_wl2 = repr.ack_number;
    if (this.config.ack_delay_us === 0 || this.count_unacked(len) >= 2) this.ack_now = true;
    else if (this.ack_due_at === Infinity) this.ack_due_at = now_us + this.config.ack_delay_us;
    if (this.config.keep_alive_us > 0) this.keep_alive_at = now_us + this.config.keep_alive_us;
    this.notify();
    return true;
  }

  private send_rst_for_ack(ack: number): void {
    this.rst_for_ack = true;
    this.rst_seq = ack;
  }

  private in_window(seq: number, window: number): boolean {
    const offset = seq_diff(seq, this.rcv_nxt);
    return offset >= 0 && offset < window;
  }

  private process_syn_sent(now_us: number, repr: TcpRepr): boolean {
    const flags = repr.flags;
    const ack = repr.ack_number;
    const ack_ok = (flags & TCP_ACK) !== 0 && seq_gt(ack, this.iss) && seq_le(ack, this.snd_max);
    if (flags & TCP_ACK && !ack_ok) {
      if (!(flags & TCP_RST)) this.send_rst_for_ack(ack);
      return false;
    }
    if (flags & TCP_RST) {
      if (!ack_ok) return false;
      this.error = "refused";
      this.set_state(TcpState.Closed);
      return true;
    }
    if (!(flags & TCP_SYN)) return false;
    this.accept_syn(repr);
    if (ack_ok) {
      this.rtt.on_ack(now_us, ack);
      this.establish(repr);
      this.ack_now = true;
    } else {
      // Simultaneous open: both sides sent SYN. Answer with SYN-ACK for our original ISS.
      this.snd_nxt = this.iss;
      this.rtx_deadline = Infinity;
      this.set_state(TcpState.SynReceived);
    }
    return true;
  }

  /** Our SYN was acknowledged: move to ESTABLISHED. */
  private establish(repr: TcpRepr): void {
    const ack = repr.ack_number;
    this.snd_una = ack;
    if (seq_gt(ack, this.snd_nxt)) this.snd_nxt = ack;
    this.rtx_deadline = Infinity;
    this.retransmits = 0;
    // The window in a segment carrying SYN is never scaled.
    this.snd_wnd = repr.flags & TCP_SYN ? repr.window_len : repr.window_len << this.snd_wnd_shift;
    this.max_snd_wnd = Math.max(this.max_snd_wnd, this.snd_wnd);
    this.snd_wl1 = repr.seq_number;
    this.snd_wl2 = ack;
    this.set_state(TcpState.Established);
  }

  /** Record the peer's initial sequence number and options. */
  private accept_syn(repr: TcpRepr): void {
    this.rcv_nxt = seq_add(repr.seq_number, 1);
    const peer_mss = repr.max_seg_size > 0 ? repr.max_seg_size : DEFAULT_PEER_MSS;
    this.send_mss = Math.max(64, Math.min(peer_mss, this.mss));
    this.window_scale_ok = repr.window_scale >= 0;
    this.snd_wnd_shift = this.window_scale_ok ? repr.window_scale : 0;
    if (!this.window_scale_ok) this.rcv_wnd_shift = 0;
    this.snd_wnd = repr.window_len;
    this.cc.reset(this.send_mss);
  }

  private process_ack(now_us: number, repr: TcpRepr): boolean {
    const ack = repr.ack_number;
    const seq = repr.seq_number;
    let changed = false;
    const acked = seq_diff(ack, this.snd_una);

    // Window update, only from segments newer than the one that last updated it.
    const window = repr.window_len << this.snd_wnd_shift;
    const window_changed = window !== this.snd_wnd;
    if (seq_lt(this.snd_wl1, seq) || (this.snd_wl1 === seq && seq_le(this.snd_wl2, ack))) {
      if (window_changed && window > this.snd_wnd) changed = true;
      this.snd_wnd = window;
      if (window > this.max_snd_wnd) this.max_snd_wnd = window;
      this.snd_wl1 = seq;
      this.snd_wl2 = ack;
      if (window > 0) {
        this.persist_deadline = Infinity;
        this.window_probes = 0;
      } else {
        this.retransmits = 0; // the peer answers our zero-window probes: alive, but window_probes still counts
      }
    }

    if (acked <= 0) {
      // RFC 5681 duplicate ACK: nothing new acked, no data, same window, data outstanding.
      if (
        acked === 0 &&
        repr.payload_len === 0 &&
        !(repr.flags & (TCP_SYN | TCP_FIN)) &&
        !window_changed &&
        this.snd_una !== this.snd_max
      ) {
        if (this.cc.on_duplicate_ack(this.send_mss, this.flight_size(), this.snd_max)) {
          this.retransmit_one = true; // fast retransmit
          this.rtt.on_retransmit();
        }
      }
      return changed;
    }

    // New data acknowledged.
    const past_tx_seq = seq_diff(ack, this.tx_seq);
    const queued = this.tx.len();
    const data_acked = past_tx_seq < 0 ? 0 : past_tx_seq < queued ? past_tx_seq : queued;
    this.tx.dequeue_allocated(data_acked);
    this.tx_seq = seq_add(this.tx_seq, data_acked);
    this.snd_una = ack;
    if (seq_lt(this.snd_nxt, ack)) this.snd_nxt = ack;
    this.rtt.on_ack(now_us, ack);
    this.retransmits = this.window_probes = 0;
    if (this.cc.on_new_ack(acked, this.send_mss, this.flight_size(), ack)) this.retransmit_one = true;
    const tx_wanted = 2 * this.cc.cwnd;
    if (!this.tx_size_set && tx_wanted > this.tx.capacity) this.expand_tx_buffer(tx_wanted);
    this.rtx_deadline = this.snd_una === this.snd_max ? Infinity : now_us + this.rtt.rto;
    changed = true;

    // Our FIN is acknowledged once the ack covers it: nothing more will be sent, and the send buffer's memory goes back.
    if (this.fin_queued && this.tx.is_empty() && ack === seq_add(this.tx_seq, 1)) {
      this.tx.release();
      if (this.state === TcpState.FinWait1) {
        this.fin_wait2_until = now_us + this.config.fin_timeout_us;
        this.set_state(TcpState.FinWait2);
      } else if (this.state === TcpState.Closing) this.enter_time_wait(now_us);
      else if (this.state === TcpState.LastAck) this.set_state(TcpState.Closed);
    }
    return changed;
  }

  /**
   * Let the send buffer hold `wanted` bytes, twice the congestion window, up
   * to TX_BUFFER_MAX (Linux's tcp_sndbuf_expand), unless memory is short: a
   * bulk sender then keeps a window in flight and as much queued behind it,
   * and its writer wakes once per half of the larger buffer. (A buffer the
   * application sized stays as it is.)
   */
  private expand_tx_buffer(wanted: number): void {
    if (this.tx.capacity >= TX_BUFFER_MAX || memory_is_short()) return;
    this.tx.raise_capacity(wanted < TX_BUFFER_MAX ? wanted : TX_BUFFER_MAX);
  }

  /** A state in which the peer may still send data (and so a reader may wait for it). */
  private accepts_data(): boolean {
    return this.state === TcpState.Established || this.state === TcpState.FinWait1 || this.state === TcpState.FinWait2;
  }

  private process_payload(now_us: number, repr: TcpRepr): boolean {
    let offset = seq_diff(repr.seq_number, this.rcv_nxt);
    let src = repr.payload_offset;
    let len = repr.payload_len;
    if (offset < 0) {
      // trim what we already have
      src -= offset;
      len += offset;
      offset = 0;
    }
    const written = this.rx.write_unallocated(offset, repr.payload, src, len);
    if (written > 0 && !this.assembler.add(offset, written)) {
      this.ack_now = true; // too many holes: drop it, the sender will try again
      return false;
    }
    const contiguous = this.assembler.remove_front();
    this.rx.enqueue_unallocated(contiguous);
    this.rcv_nxt = seq_add(this.rcv_nxt, contiguous);
    if (offset > 0 || !this.assembler.is_empty() || written < len) {
      this.ack_now = true; // out of order or clipped: tell the sender right away (dup ACK)
    } else if (this.config.ack_delay_us === 0 || this.count_unacked(contiguous) >= 2) {
      this.ack_now = true; // RFC 1122: ack at least every second full segment
    } else if (this.ack_due_at === Infinity) {
      this.ack_due_at = now_us + this.config.ack_delay_us;
    }
    return contiguous > 0;
  }

  /**
   * Count `len` bytes of in-order data towards the next ACK; returns the
   * full segments now waiting for one. A segment with more than one
   * segment's worth (GRO merged it from several frames) counts as two, so
   * it is acknowledged at once, as Linux's __tcp_ack_snd_check does: the
   * sender's ACK clock is per burst, not per second burst.
   */
  private count_unacked(len: number): number {
    return (this.unacked_segments += len > this.mss ? 2 : 1);
  }

  private process_fin(now_us: number): void {
    this.rcv_nxt = seq_add(this.rcv_nxt, 1);
    this.fin_received = true;
    this.ack_now = true;
    switch (this.state) {
      case TcpState.SynReceived:
      case TcpState.Established:
        this.set_state(TcpState.CloseWait);
        break;
      case TcpState.FinWait1:
        // Simultaneous close: our FIN is still unacknowledged.
        this.set_state(TcpState.Closing);
        break;
      case TcpState.FinWait2:
        this.enter_time_wait(now_us);
        break;
      default:
        break;
    }
  }

  private challenge_ack(now_us: number): void {
    if (now_us - this.challenge_ack_at < CHALLENGE_ACK_INTERVAL_US) return;
    this.challenge_ack_at = now_us;
    this.ack_now = true;
  }

  // ---- Interface side: output -------------------------------------------

  /**
   * Fill `repr` with the next segment to send, or return false. Nothing
   * changes until the interface confirms transmission with dispatched().
   * New data may fill up to `max_frames` frames of send_mss bytes in one
   * segment (Linux's GSO): the interface cuts it into frames, and the
   * socket's work per segment is done once for all of them.
   */
  dispatch(now_us: number, repr: TcpRepr, max_frames = 1): boolean {
    this.touch();
    this.run_timers(now_us);
    const what = this.plan(now_us);
    if (what === Emit.Nothing) return false;
    repr.clear();
    repr.src_port = this.local_port;
    repr.dst_port = this.remote_port;
    repr.ack_number = this.rcv_nxt;
    repr.window_len = this.advertised_window();
    repr.flags = TCP_ACK;
    repr.seq_number = this.snd_nxt;
    switch (what) {
      case Emit.Rst:
        if (this.rst_for_ack) {
          repr.seq_number = this.rst_seq;
          repr.flags = TCP_RST;
        } else {
          repr.flags = TCP_RST | TCP_ACK;
        }
        repr.window_len = 0;
        break;
      case Emit.Syn:
        repr.seq_number = this.iss;
        repr.flags = this.state === TcpState.SynSent ? TCP_SYN : TCP_SYN | TCP_ACK;
        repr.max_seg_size = this.mss;
        // Offer window scaling in our SYN; in a SYN-ACK only if the peer offered it.
        if (this.state === TcpState.SynSent || this.window_scale_ok) repr.window_scale = this.rcv_wnd_shift;
        repr.window_len = Math.min(this.rx.window(), 0xffff);
        break;
      case Emit.Data:
        if (this.retransmit_one) this.fill_data(repr, this.snd_una, 1);
        else this.fill_data(repr, this.snd_nxt, max_frames);
        break;
      case Emit.Probe:
        this.fill_data(repr, this.snd_nxt, 0);
        break;
      case Emit.KeepAlive:
        repr.seq_number = seq_add(this.snd_nxt, -1); // RFC 9293 §3.8.4: an old byte forces an ACK
        break;
      case Emit.Ack:
        break;
    }
    return true;
  }

  /** The segment filled by dispatch() was sent. */
  dispatched(now_us: number, repr: TcpRepr): void {
    this.touch();
    if (repr.flags & TCP_RST) {
      this.rst_for_ack = false;
      if (this.rst_pending) {
        this.rst_pending = false;
        this.set_state(TcpState.Closed);
      }
      return;
    }
    const seg_len = repr.segment_len();
    const seq = repr.seq_number;
    if (seg_len > 0) {
      // (seq_add and seq_gt, written out: this runs per segment sent.)
      const end = (seq + seg_len) | 0;
      if (seq === this.snd_max) this.rtt.on_send(now_us, end);
      if (((end - this.snd_nxt) | 0) > 0) this.snd_nxt = end;
      if (((end - this.snd_max) | 0) > 0) this.snd_max = end;
      if (this.rtx_deadline === Infinity) this.rtx_deadline = now_us + this.rtt.rto;
      if (seq === this.snd_una && this.retransmit_one) this.retransmit_one = false;
      this.persist_deadline = Infinity;
      if (this.snd_wnd === 0 && this.is_synchronized()) this.window_probes++;
    }
    this.ack_now = false;
    this.ack_due_at = Infinity;
    this.unacked_segments = 0;
    this.last_adv_wnd = repr.window_len << (repr.flags & TCP_SYN ? 0 : this.rcv_wnd_shift);
    this.last_adv_at = this.rcv_nxt;
    this.read_since_advertised = false;
    if (this.config.keep_alive_us > 0 && this.keep_alive_at === Infinity) this.keep_alive_at = now_us + this.config.keep_alive_us;
  }

  /**
   * The next time (µs) this socket needs to be polled; `now_us` (or earlier)
   * if it has something to send. The answer is kept until the socket
   * changes: every method that changes it marks it stale, so the interface
   * can ask each socket on every poll for almost nothing.
   */
  poll_at(now_us: number): number {
    if (this.poll_at_stale) {
      this.poll_at_cached = this.compute_poll_at(now_us);
      this.poll_at_stale = false;
    }
    return this.poll_at_cached;
  }

  private compute_poll_at(now_us: number): number {
    if (this.plan(now_us) !== Emit.Nothing) return now_us;
    let at = Infinity;
    if (this.state === TcpState.TimeWait) return this.time_wait_until;
    if (this.state === TcpState.Closed || this.state === TcpState.Listen) return at;
    if (this.rtx_deadline < at) at = this.rtx_deadline;
    if (this.ack_due_at < at) at = this.ack_due_at;
    if (this.persist_deadline < at) at = this.persist_deadline;
    if (this.state === TcpState.FinWait2 && this.fin_wait2_until < at) at = this.fin_wait2_until;
    // As plan() has it: a keep-alive goes only when nothing is in flight.
    if (this.keep_alive_at < at && this.state === TcpState.Established && this.snd_una === this.snd_max) at = this.keep_alive_at;
    return at;
  }

  private run_timers(now_us: number): void {
    if (this.state === TcpState.TimeWait && now_us >= this.time_wait_until) {
      this.set_state(TcpState.Closed);
      return;
    }
    if (this.state === TcpState.FinWait2 && now_us >= this.fin_wait2_until) {
      if (this.reap_when_closed) {
        // Closed, and the peer never sent its FIN: let it go without a word, as Linux does.
        this.count("fin_wait2_timeouts");
        this.error = "timeout";
        this.set_state(TcpState.Closed);
        return;
      }
      this.fin_wait2_until = now_us + this.config.fin_timeout_us; // half closed and still held: look again later
    }
    const rtx_fired = now_us >= this.rtx_deadline;
    if (rtx_fired) {
      this.rtx_deadline = Infinity;
      this.count("timeouts");
      if (this.is_orphan() && memory_is_short()) {
        // Nobody holds it, its peer is silent, and memory is short: the
        // buffers it keeps for that peer go back now (Linux's
        // tcp_out_of_resources), so that live connections can be made.
        this.count("abort_on_memory");
        this.error = "timeout";
        this.rst_pending = this.is_synchronized();
        if (!this.rst_pending) this.set_state(TcpState.Closed);
        return;
      }
      if (++this.retransmits > this.retry_limit()) {
        this.count("abort_on_timeout");
        this.error = "timeout";
        this.rst_pending = this.is_synchronized();
        if (!this.rst_pending) this.set_state(TcpState.Closed);
        return;
      }
      // RFC 6298 §5.5-5.7 and RFC 5681 §3.1: back off, collapse the window, go back to snd_una.
      this.rtt.backoff();
      this.cc.on_timeout(this.send_mss, this.flight_size());
      this.retransmit_one = false;
      this.snd_nxt = this.snd_una;
    }
    if ((rtx_fired || now_us >= this.persist_deadline) && this.snd_wnd === 0 && this.window_probes > this.retry_limit()) {
      // The peer answers what we send into its window (probes, a FIN), but the window has stayed shut through all of it.
      this.count("abort_on_win_probe");
      this.error = "timeout";
      this.rst_pending = true;
      this.persist_deadline = Infinity;
    }
  }

  /** Timeouts (or zero-window probes) before giving up: fewer for a handshake, or a connection nobody holds. */
  private retry_limit(): number {
    if (this.state === TcpState.SynReceived) return this.config.syn_ack_retries;
    return this.is_orphan() ? this.config.orphan_retries : this.config.max_retransmits;
  }

  /** Closed by its application, and no listener's either: nobody holds it (Linux's orphan). */
  private is_orphan(): boolean {
    return this.reap_when_closed && this.listener === null;
  }

  private count(counter: keyof TcpExtStats): void {
    if (this.owner !== null) this.owner.tcp_ext[counter]++;
  }

  private plan(now_us: number): number {
    const state = this.state;
    if (this.rst_pending || this.rst_for_ack) return Emit.Rst;
    if (state === TcpState.Closed || state === TcpState.Listen || (state === TcpState.TimeWait && !this.ack_now)) {
      return Emit.Nothing;
    }
    if (state === TcpState.SynSent || state === TcpState.SynReceived) {
      if (this.snd_nxt === this.iss) return Emit.Syn;
      return state === TcpState.SynReceived && this.ack_now ? Emit.Ack : Emit.Nothing;
    }
    if (this.retransmit_one && this.snd_una !== this.snd_max) return Emit.Data;
    if (this.has_data_to_send(now_us)) return Emit.Data;
    if (this.persist_deadline <= now_us && this.snd_wnd === 0 && this.unsent_data() > 0) return Emit.Probe;
    if (this.ack_now || this.ack_due_at <= now_us) return Emit.Ack;
    if (this.read_since_advertised && this.window_update_due()) return Emit.Ack;
    if (state === TcpState.Established && this.config.keep_alive_us > 0 && this.keep_alive_at <= now_us && this.snd_una === this.snd_max) {
      return Emit.KeepAlive;
    }
    return Emit.Nothing;
  }

  private unsent_data(): number {
    return this.tx.len() - seq_diff(this.snd_nxt, this.tx_seq);
  }

  private flight_size(): number {
    return seq_diff(this.snd_max, this.snd_una);
  }

  /**
   * Is there new data (or a FIN) that windows and Nagle allow us to send now?
   * (Every plan() asks, so the sequence arithmetic is written out here, as
   * `| 0`: unsent_data(), fin_to_send() and seq_diff() would be calls.)
   */
  private has_data_to_send(now_us: number): boolean {
    const unsent = this.tx.len() - ((this.snd_nxt - this.tx_seq) | 0);
    // The FIN goes once all data is out and it has not been sent (snd_nxt has not passed it) yet.
    if (unsent <= 0) return unsent === 0 && this.fin_queued;
    const in_flight = (this.snd_nxt - this.snd_una) | 0;
    const cwnd = this.cc.cwnd;
    const usable = (this.snd_wnd < cwnd ? this.snd_wnd : cwnd) - in_flight;
    if (usable <= 0) {
      if (this.snd_wnd === 0 && in_flight === 0 && this.persist_deadline === Infinity) {
        this.persist_deadline = now_us + this.rtt.rto; // zero window: probe later
      }
      return false;
    }
    let len = unsent < usable ? unsent : usable;
    if (this.send_mss < len) len = this.send_mss;
    // Nagle (RFC 896): hold back a small segment while data is unacknowledged.
    if (len < this.send_mss && this.config.nagle && in_flight > 0 && !(this.fin_queued && len === unsent)) return false;
    // Silly window avoidance on the sender: do not send a tiny piece just because the window is tiny.
    if (len < this.send_mss && len < unsent && in_flight > 0) return false;
    return true;
  }

  /**
   * The data at `seq`, for up to `frames` frames of send_mss (0: a window
   * probe's one byte). Several frames' worth is cut back to whole frames:
   * whether a short tail goes now is for the next dispatch to judge (Nagle).
   */
  private fill_data(repr: TcpRepr, seq: number, frames: number): void {
    const probe = frames === 0;
    const offset = (seq - this.tx_seq) | 0; // seq_diff, written out (per segment)
    let max = probe ? 1 : this.send_mss * frames;
    if (!probe && seq === this.snd_nxt) {
      const cwnd = this.cc.cwnd;
      const usable = (this.snd_wnd < cwnd ? this.snd_wnd : cwnd) - ((this.snd_nxt - this.snd_una) | 0);
      if (usable < max) max = usable;
    }
    let len = this.tx.contiguous_allocated(offset, max > 0 ? max : 0);
    if (len > this.send_mss) len -= len % this.send_mss;
    repr.seq_number = seq;
    repr.payload = this.tx.storage;
    repr.payload_offset = this.tx.index_of(offset);
    repr.payload_len = len;
    if (len > 0) repr.flags |= TCP_PSH;
    if (this.fin_queued && offset + len === this.tx.len() && !probe) repr.flags |= TCP_FIN;
  }

  private advertised_window(): number {
    const window = this.rx.window() >> this.rcv_wnd_shift;
    return window < 0xffff ? window : 0xffff;
  }

  /**
   * Reading has opened the receive window so far that the peer should hear
   * of it now, as Linux's tcp_cleanup_rbuf has it: what the peer may still
   * send has fallen to half the buffer or less, and the window is now at
   * least twice that, and larger by a segment at least (RFC 1122's
   * receiver-side silly window avoidance: a segment, or half a smaller
   * buffer). A window the peer has filled (one 64 KiB segment on a 64 KiB
   * buffer) is announced at once, instead of after the delayed-ACK timer;
   * one the peer is still far from filling waits for the next ACK, which
   * carries it anyway, instead of costing a poll and a segment of its own
   * after every read.
   */
  window_update_due(): boolean {
    const window = this.advertised_window() << this.rcv_wnd_shift;
    const peer_may_send = this.last_adv_wnd - seq_diff(this.rcv_nxt, this.last_adv_at);
    const half = this.rx.capacity >> 1;
    const least_gain = this.mss < half ? this.mss : half;
    return peer_may_send <= half && window >= 2 * peer_may_send && window - peer_may_send >= least_gain && this.accepts_data();
  }

  // ---- Helpers ------------------------------------------------------------

  private is_synchronized(): boolean {
    return this.state >= TcpState.Established;
  }

  private enter_time_wait(now_us: number): void {
    this.time_wait_until = now_us + this.config.time_wait_us;
    this.rtx_deadline = Infinity;
    this.set_state(TcpState.TimeWait);
  }

  private init_send_sequence(now_us: number): void {
    this.iss = secure_tcp_iss(now_us, this.local_addr, this.local_port, this.remote_addr, this.remote_port);
    this.snd_una = this.snd_nxt = this.snd_max = this.iss;
    this.tx_seq = seq_add(this.iss, 1);
    this.cc.reset(DEFAULT_PEER_MSS);
    if (this.config.keep_alive_us > 0) this.keep_alive_at = now_us + this.config.keep_alive_us;
  }

  private reset_connection(): void {
    this.touch();
    this.rx.clear();
    this.tx.clear();
    this.assembler.clear();
    this.forget_children();
    this.fin_queued = this.fin_received = false;
    this.ack_now = this.rst_pending = this.retransmit_one = false;
    this.rst_for_ack = false;
    this.ack_due_at = this.rtx_deadline = this.persist_deadline = this.keep_alive_at = this.time_wait_until = Infinity;
    this.fin_wait2_until = Infinity;
    this.rtt.reset();
    this.retransmits = this.unacked_segments = this.window_probes = 0;
    this.rcv_wnd_shift = this.wanted_window_shift();
    this.error = "";
  }

  private set_state(state: TcpState): void {
    this.touch();
    if (this.state === state) return;
    if (this.listener !== null) this.listener.child_moved(this, this.state, state);
    this.state = state;
    if (state === TcpState.Closed && this.demux_key >= 0 && this.owner !== null) this.owner.tcp_rehash(this); // out of the table
    if (state === TcpState.Closed) tcp_closings++;
    if (state === TcpState.Closed) {
      this.rtx_deadline = this.persist_deadline = this.keep_alive_at = this.ack_due_at = Infinity;
    }
    this.notify();
  }

  private notify(): void {
    if (this.on_state_change !== null) this.on_state_change();
  }

  /** Something changed: poll_at() must look again, and so must the interfaces serving the set. */
  private touch(): void {
    this.poll_at_stale = true;
    if (this.owner !== null) this.owner.changes++;
  }
}
