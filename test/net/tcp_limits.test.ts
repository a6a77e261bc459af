// The ends TCP puts to waits a peer could make endless: SYN-ACKs to a
// client that never answers, FIN-WAIT-2 after the application closed, and
// zero-window probes a peer answers with a window that never opens. Sockets
// are driven directly (segment in, segment out) in a socket set that holds
// their counters.
import * as assert from "assert";
import { set_memory_pressure_check } from "../../net/socket/memory_pressure";
import { secure_tcp_iss } from "../../net/socket/secure_seq";
import { SocketSet } from "../../net/socket/socket_set";
import { TcpConfig, TcpSocket, TcpState } from "../../net/socket/tcp";
import { TcpRepr, TCP_ACK, TCP_FIN, TCP_RST, TCP_SYN } from "../../net/wire/tcp";

const LOCAL = 0x0a000001,
  REMOTE = 0x0a000002;
const LOCAL_PORT = 80,
  REMOTE_PORT = 49500;
const REMOTE_ISS = 10_000;

function seg(flags: number, seq: number, ack: number, window = 64000): TcpRepr {
  const r = new TcpRepr();
  r.src_port = REMOTE_PORT;
  r.dst_port = LOCAL_PORT;
  r.flags = flags;
  r.seq_number = seq;
  r.ack_number = ack;
  r.window_len = window;
  return r;
}

/** What the socket sends at `now`, every segment in turn. */
function drain(socket: TcpSocket, now: number): TcpRepr[] {
  const out: TcpRepr[] = [];
  for (let r = new TcpRepr(); socket.dispatch(now, r); r = new TcpRepr()) {
    socket.dispatched(now, r);
    out.push(r);
  }
  return out;
}

/** Run the socket's timers from `now` until `done()` or `limit_us` later, collecting what it sends; `reply` answers each segment. */
function run(
  socket: TcpSocket,
  now: number,
  limit_us: number,
  done: () => boolean,
  reply: (r: TcpRepr, now: number) => void = () => {},
): { sent: TcpRepr[]; now: number } {
  const sent: TcpRepr[] = [];
  const stop = now + limit_us;
  while (!done() && now <= stop) {
    for (const r of drain(socket, now)) {
      sent.push(r);
      reply(r, now);
    }
    if (done()) break;
    const next = socket.poll_at(now);
    if (next === Infinity) break;
    now = Math.max(now, next);
  }
  return { sent, now };
}

/** A connection accepted from a listener in `set`, ESTABLISHED; returns it and our next sequence number. */
function accepted(set: SocketSet, config: Partial<TcpConfig> = {}): { s: TcpSocket; seq: number } {
  const listener = set.add_tcp(new TcpSocket({ ack_delay_us: 0, ...config }));
  listener.listen(LOCAL_PORT, 4);
  const s = set.add_tcp(listener.spawn(0, REMOTE, LOCAL, seg(TCP_SYN, REMOTE_ISS, 0), 1460)!);
  const [synack] = drain(s, 0);
  const seq = (synack.seq_number + 1) | 0;
  s.process(0, seg(TCP_ACK, REMOTE_ISS + 1, seq));
  assert.strictEqual(listener.accept(), s);
  return { s, seq };
}

describe("net: TCP waits that end", () => {
  it("drops a half-open connection after syn_ack_retries SYN-ACKs", () => {
    const set = new SocketSet();
    const listener = set.add_tcp(new TcpSocket());
    listener.listen(LOCAL_PORT, 4);
    const child = set.add_tcp(listener.spawn(0, REMOTE, LOCAL, seg(TCP_SYN, REMOTE_ISS, 0), 1460)!);
    const { sent, now } = run(child, 0, 600e6, () => child.state === TcpState.Closed);
    assert.strictEqual(child.state, TcpState.Closed);
    assert.strictEqual(sent.filter((r) => r.flags === (TCP_SYN | TCP_ACK)).length, 6, "the SYN-ACK and 5 more");
    assert.ok(now < 70e6, `given up after about a minute (1+2+4+8+16+32 s), not ${now / 1e6} s`);
    assert.strictEqual(set.tcp_ext.timeouts, 6);
    assert.strictEqual(set.tcp_ext.abort_on_timeout, 1);
  });

  it("lets a closed connection go after fin_timeout_us in FIN-WAIT-2, and keeps one that is still held", () => {
    for (const held of [false, true]) {
      const set = new SocketSet();
      const { s, seq } = accepted(set, { fin_timeout_us: 5_000_000 });
      s.reap_when_closed = !held;
      s.close();
      const [fin] = drain(s, 1000);
      assert.ok(fin.flags & TCP_FIN);
      s.process(1000, seg(TCP_ACK, REMOTE_ISS + 1, (seq + 1) | 0));
      assert.strictEqual(s.state, TcpState.FinWait2);
      assert.strictEqual(s.poll_at(1000), 1000 + 5_000_000);
      run(s, 1000, 30e6, () => s.state === TcpState.Closed);
      if (held) {
        assert.strictEqual(s.state, TcpState.FinWait2, "half closed: the application may still read");
        assert.strictEqual(set.tcp_ext.fin_wait2_timeouts, 0);
      } else {
        assert.strictEqual(s.state, TcpState.Closed);
        assert.strictEqual(s.error, "timeout");
        assert.strictEqual(set.tcp_ext.fin_wait2_timeouts, 1);
      }
    }
  });

  it("resets a closed connection whose peer went silent at its first timeout while memory is short", () => {
    for (const short of [false, true]) {
      set_memory_pressure_check(() => short);
      try {
        const set = new SocketSet();
        const { s, seq } = accepted(set);
        s.process(0, seg(TCP_FIN | TCP_ACK, REMOTE_ISS + 1, seq));
        drain(s, 0); // the ACK of its FIN
        s.reap_when_closed = true; // the echo service closes, and the peer is gone
        s.close();
        const [fin] = drain(s, 1000);
        assert.ok(fin.flags & TCP_FIN);
        assert.strictEqual(s.state, TcpState.LastAck);
        const { sent } = run(s, 1000, 5e6, () => s.state === TcpState.Closed);
        if (short) {
          assert.strictEqual(s.state, TcpState.Closed, "let go at the first timeout");
          assert.ok(
            sent.some((r) => r.flags & TCP_RST),
            "the peer hears a reset",
          );
          assert.strictEqual(set.tcp_ext.abort_on_memory, 1);
        } else {
          assert.strictEqual(s.state, TcpState.LastAck, "still retransmitting its FIN");
          assert.strictEqual(set.tcp_ext.abort_on_memory, 0);
        }
      } finally {
        set_memory_pressure_check(() => false);
      }
    }
  });

  it("gives up zero-window probing that the peer answers with a shut window forever", () => {
    for (const orphan of [false, true]) {
      const set = new SocketSet();
      const { s, seq } = accepted(set, { max_retransmits: 6, orphan_retries: 3 });
      s.process(0, seg(TCP_ACK, REMOTE_ISS + 1, seq, 0)); // the window shuts
      s.send_slice(new Uint8Array(100));
      if (orphan) {
        s.reap_when_closed = true;
        s.close();
      }
      // The peer acknowledges nothing new and keeps its window shut, every time.
      const answer = (r: TcpRepr, now: number) => {
        if (!(r.flags & TCP_RST)) s.process(now, seg(TCP_ACK, REMOTE_ISS + 1, seq, 0));
      };
      const { sent } = run(s, 0, 3600e6, () => s.state === TcpState.Closed, answer);
      const probes = sent.filter((r) => r.payload_len > 0).length;
      assert.strictEqual(s.state, TcpState.Closed, `${probes} probes and still open`);
      assert.strictEqual(probes, orphan ? 4 : 7, "the first probe and max_retransmits (orphan_retries) more");
      assert.ok(sent[sent.length - 1].flags & TCP_RST, "the peer is told");
      assert.strictEqual(s.error, "timeout");
      assert.strictEqual(set.tcp_ext.abort_on_win_probe, 1);
    }
  });

  it("gives up a FIN that the peer answers, window shut, but never takes", () => {
    const set = new SocketSet();
    const { s, seq } = accepted(set, { orphan_retries: 3 });
    s.process(0, seg(TCP_ACK, REMOTE_ISS + 1, seq, 0));
    s.reap_when_closed = true;
    s.close();
    const answer = (r: TcpRepr, now: number) => {
      if (!(r.flags & TCP_RST)) s.process(now, seg(TCP_ACK, REMOTE_ISS + 1, seq, 0)); // everything but the FIN
    };
    const { sent } = run(s, 0, 3600e6, () => s.state === TcpState.Closed, answer);
    assert.strictEqual(s.state, TcpState.Closed);
    assert.strictEqual(sent.filter((r) => r.flags & TCP_FIN).length, 4, "the FIN and orphan_retries more");
    assert.strictEqual(set.tcp_ext.abort_on_win_probe, 1);
  });

  it("starts counting probes again when the window opens", () => {
    const set = new SocketSet();
    const { s, seq } = accepted(set, { max_retransmits: 3 });
    s.process(0, seg(TCP_ACK, REMOTE_ISS + 1, seq, 0));
    s.send_slice(new Uint8Array(3000));
    let probes = 0;
    const answer = (r: TcpRepr, now: number) => {
      if (r.payload_len === 0) return;
      // Every third probe finds a window of one byte, which takes the probe's byte and shuts again.
      const open = ++probes % 3 === 0;
      s.process(now, seg(TCP_ACK, REMOTE_ISS + 1, open ? (r.seq_number + 1) | 0 : seq, open ? 1 : 0));
      if (open) s.process(now, seg(TCP_ACK, REMOTE_ISS + 1, (r.seq_number + 1) | 0, 0));
    };
    run(s, 0, 3600e6, () => probes >= 12 || s.state === TcpState.Closed, answer);
    assert.strictEqual(probes, 12, "more probes than max_retransmits, in all");
    assert.strictEqual(s.state, TcpState.Established, "a peer that takes a byte now and then is making progress");
    assert.strictEqual(set.tcp_ext.abort_on_win_probe, 0);
  });

  it("resets the connections a listener has not handed out when it closes", () => {
    const set = new SocketSet();
    const listener = set.add_tcp(new TcpSocket());
    listener.listen(LOCAL_PORT, 4);
    const child = set.add_tcp(listener.spawn(0, REMOTE, LOCAL, seg(TCP_SYN, REMOTE_ISS, 0), 1460)!);
    drain(child, 0);
    listener.close();
    const [rst] = drain(child, 0);
    assert.ok(rst.flags & TCP_RST);
    assert.strictEqual(child.state, TcpState.Closed);
  });
});

describe("net: initial sequence numbers (RFC 6528)", () => {
  it("hash the connection with a secret and move on with a 4 µs clock", () => {
    const a = secure_tcp_iss(1_000_000, LOCAL, LOCAL_PORT, REMOTE, REMOTE_PORT);
    assert.strictEqual(secure_tcp_iss(1_000_000, LOCAL, LOCAL_PORT, REMOTE, REMOTE_PORT), a);
    assert.strictEqual((secure_tcp_iss(1_000_400, LOCAL, LOCAL_PORT, REMOTE, REMOTE_PORT) - a) | 0, 100);
    const others = [
      secure_tcp_iss(1_000_000, LOCAL, LOCAL_PORT, REMOTE, REMOTE_PORT + 1),
      secure_tcp_iss(1_000_000, LOCAL, LOCAL_PORT + 1, REMOTE, REMOTE_PORT),
      secure_tcp_iss(1_000_000, LOCAL, LOCAL_PORT, REMOTE + 1, REMOTE_PORT),
    ];
    for (const other of others) assert.ok(Math.abs((other - a) | 0) > 1_000_000, "another connection starts elsewhere");
  });

  it("are what a connection starts from", () => {
    const s = new TcpSocket();
    s.connect(5_000_000, REMOTE, REMOTE_PORT, LOCAL, 40000, 1460);
    const [syn] = drain(s, 5_000_000);
    assert.strictEqual(syn.seq_number, secure_tcp_iss(5_000_000, LOCAL, 40000, REMOTE, REMOTE_PORT));
  });
});
