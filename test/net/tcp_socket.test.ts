// Segment-in, segment-out tests of the TCP state machine (smoltcp style):
// the socket is driven directly, without an interface.
import * as assert from "assert";
import { TcpConfig, TcpSocket, TcpState } from "../../net/socket/tcp";
import { TcpRepr, TCP_ACK, TCP_FIN, TCP_PSH, TCP_RST, TCP_SYN } from "../../net/wire/tcp";

const LOCAL = 0x0a000001,
  REMOTE = 0x0a000002;
const LOCAL_PORT = 80,
  REMOTE_PORT = 49500;
const REMOTE_ISS = 10_000;

interface Seg {
  flags: number;
  seq?: number;
  ack?: number;
  window?: number;
  data?: Uint8Array;
  mss?: number;
  scale?: number;
}

function seg(s: Seg): TcpRepr {
  const r = new TcpRepr();
  r.src_port = REMOTE_PORT;
  r.dst_port = LOCAL_PORT;
  r.flags = s.flags;
  r.seq_number = s.seq ?? 0;
  r.ack_number = s.ack ?? 0;
  r.window_len = s.window ?? 64000;
  r.max_seg_size = s.mss ?? 0;
  r.window_scale = s.scale ?? -1;
  if (s.data) {
    r.payload = s.data;
    r.payload_len = s.data.length;
  }
  return r;
}

/** The next segment the socket sends at `now`, or null. */
function recv(socket: TcpSocket, now = 0): TcpRepr | null {
  const r = new TcpRepr();
  if (!socket.dispatch(now, r)) return null;
  socket.dispatched(now, r);
  // Copy the payload out: the socket's buffer moves on.
  const copy = r.payload.slice(r.payload_offset, r.payload_offset + r.payload_len);
  r.payload = copy;
  r.payload_offset = 0;
  return r;
}

function listening(config: Partial<TcpConfig> = {}): TcpSocket {
  const s = new TcpSocket({ ack_delay_us: 0, ...config });
  s.listen(LOCAL_PORT, 2);
  return s;
}

/** A server-side connection in ESTABLISHED; returns it and its ISS + 1. */
function established(config: Partial<TcpConfig> = {}): { s: TcpSocket; seq: number } {
  const listener = listening(config);
  const s = listener.spawn(0, REMOTE, LOCAL, seg({ flags: TCP_SYN, seq: REMOTE_ISS, mss: 1000 }), 1460)!;
  const synack = recv(s)!;
  const seq = (synack.seq_number + 1) | 0;
  s.process(0, seg({ flags: TCP_ACK, seq: REMOTE_ISS + 1, ack: seq }));
  assert.strictEqual(s.state, TcpState.Established);
  return { s, seq };
}

describe("net: TCP socket state machine", () => {
  it("passive open negotiates MSS and window scale", () => {
    const listener = listening({ rx_buffer_size: 256 * 1024 });
    const s = listener.spawn(0, REMOTE, LOCAL, seg({ flags: TCP_SYN, seq: REMOTE_ISS, mss: 1200, scale: 2 }), 1460)!;
    assert.strictEqual(s.state, TcpState.SynReceived);
    const synack = recv(s)!;
    assert.strictEqual(synack.flags, TCP_SYN | TCP_ACK);
    assert.strictEqual(synack.ack_number, REMOTE_ISS + 1);
    assert.strictEqual(synack.max_seg_size, 1460);
    assert.strictEqual(synack.window_scale, 3, "256 KiB needs shift 3");
    assert.strictEqual(listener.accept(), null, "not accepted before the handshake completes");
    s.process(0, seg({ flags: TCP_ACK, seq: REMOTE_ISS + 1, ack: (synack.seq_number + 1) | 0, window: 100 }));
    assert.strictEqual(s.state, TcpState.Established);
    assert.strictEqual(listener.accept(), s);
    // The peer's window is scaled by its shift (2): 100 << 2 = 400 bytes, so at most 400 go out.
    s.send_slice(new Uint8Array(2000));
    const data = recv(s)!;
    assert.strictEqual(data.payload_len, 400);
  });

  it("omits window scaling when the peer does not offer it", () => {
    const s = listening({ rx_buffer_size: 256 * 1024 }).spawn(0, REMOTE, LOCAL, seg({ flags: TCP_SYN, seq: 1 }), 1460)!;
    const synack = recv(s)!;
    assert.strictEqual(synack.window_scale, -1);
    assert.strictEqual(synack.window_len, 0xffff);
  });

  it("bounds half-open connections and the accept queue apart", () => {
    const listener = new TcpSocket({ ack_delay_us: 0 });
    listener.listen(LOCAL_PORT, 1, 0, 2);
    const first = listener.spawn(0, REMOTE, LOCAL, seg({ flags: TCP_SYN, seq: 1 }), 1460)!;
    assert.ok(listener.spawn(0, REMOTE + 1, LOCAL, seg({ flags: TCP_SYN, seq: 1 }), 1460));
    assert.ok(listener.syn_queue_full());
    assert.strictEqual(listener.spawn(0, REMOTE + 2, LOCAL, seg({ flags: TCP_SYN, seq: 1 }), 1460), null, "two half open at most");
    const synack = recv(first)!;
    first.process(0, seg({ flags: TCP_ACK, seq: 2, ack: (synack.seq_number + 1) | 0 }));
    assert.strictEqual(first.state, TcpState.Established);
    assert.ok(listener.accept_queue_full() && !listener.syn_queue_full());
    assert.strictEqual(
      listener.spawn(0, REMOTE + 2, LOCAL, seg({ flags: TCP_SYN, seq: 1 }), 1460),
      null,
      "one waiting for accept() at most",
    );
    assert.strictEqual(listener.accept(), first);
    assert.ok(listener.spawn(0, REMOTE + 2, LOCAL, seg({ flags: TCP_SYN, seq: 1 }), 1460));
  });

  it("active open sends SYN with options and completes on SYN-ACK", () => {
    const s = new TcpSocket();
    s.connect(0, REMOTE, REMOTE_PORT, LOCAL, LOCAL_PORT, 1460);
    const syn = recv(s)!;
    assert.strictEqual(syn.flags, TCP_SYN);
    assert.strictEqual(syn.max_seg_size, 1460);
    assert.strictEqual(syn.window_scale, 1, "64 KiB needs shift 1");
    assert.strictEqual(recv(s), null, "nothing more until the SYN-ACK");
    s.process(1000, seg({ flags: TCP_SYN | TCP_ACK, seq: REMOTE_ISS, ack: (syn.seq_number + 1) | 0, mss: 536 }));
    assert.strictEqual(s.state, TcpState.Established);
    const ack = recv(s, 1000)!;
    assert.strictEqual(ack.flags, TCP_ACK);
    assert.strictEqual(ack.ack_number, REMOTE_ISS + 1);
  });

  it("answers a SYN-ACK with a bad ACK in SYN-SENT with RST", () => {
    const s = new TcpSocket();
    s.connect(0, REMOTE, REMOTE_PORT, LOCAL, LOCAL_PORT, 1460);
    recv(s);
    s.process(0, seg({ flags: TCP_SYN | TCP_ACK, seq: REMOTE_ISS, ack: 12345 }));
    const rst = recv(s)!;
    assert.strictEqual(rst.flags, TCP_RST);
    assert.strictEqual(rst.seq_number, 12345);
    assert.strictEqual(s.state, TcpState.SynSent);
  });

  it("handles simultaneous open", () => {
    const s = new TcpSocket();
    s.connect(0, REMOTE, REMOTE_PORT, LOCAL, LOCAL_PORT, 1460);
    const syn = recv(s)!;
    s.process(0, seg({ flags: TCP_SYN, seq: REMOTE_ISS }));
    assert.strictEqual(s.state, TcpState.SynReceived);
    const synack = recv(s)!;
    assert.strictEqual(synack.flags, TCP_SYN | TCP_ACK);
    assert.strictEqual(synack.seq_number, syn.seq_number);
    assert.strictEqual(synack.ack_number, REMOTE_ISS + 1);
    // The peer's SYN-ACK completes it.
    s.process(0, seg({ flags: TCP_SYN | TCP_ACK, seq: REMOTE_ISS, ack: (syn.seq_number + 1) | 0 }));
    assert.strictEqual(s.state, TcpState.Established);
  });

  it("handles simultaneous close through CLOSING and TIME-WAIT", () => {
    const { s, seq } = established({ time_wait_us: 1_000_000 });
    s.close();
    const fin = recv(s)!;
    assert.strictEqual(fin.flags & TCP_FIN, TCP_FIN);
    assert.strictEqual(s.state, TcpState.FinWait1);
    s.process(10, seg({ flags: TCP_FIN | TCP_ACK, seq: REMOTE_ISS + 1, ack: seq })); // does not ack our FIN
    assert.strictEqual(s.state, TcpState.Closing);
    assert.strictEqual(recv(s, 10)!.ack_number, REMOTE_ISS + 2);
    s.process(20, seg({ flags: TCP_ACK, seq: REMOTE_ISS + 2, ack: (seq + 1) | 0 }));
    assert.strictEqual(s.state, TcpState.TimeWait);
    assert.strictEqual(s.poll_at(20), 1_000_020);
    recv(s, 1_000_020);
    assert.strictEqual(s.state, TcpState.Closed);
  });

  it("goes through FIN-WAIT-2 on an orderly close and re-acks a retransmitted FIN in TIME-WAIT", () => {
    const { s, seq } = established();
    s.close();
    recv(s);
    s.process(0, seg({ flags: TCP_ACK, seq: REMOTE_ISS + 1, ack: (seq + 1) | 0 }));
    assert.strictEqual(s.state, TcpState.FinWait2);
    s.process(0, seg({ flags: TCP_FIN | TCP_ACK, seq: REMOTE_ISS + 1, ack: (seq + 1) | 0 }));
    assert.strictEqual(s.state, TcpState.TimeWait);
    recv(s);
    s.process(5, seg({ flags: TCP_FIN | TCP_ACK, seq: REMOTE_ISS + 1, ack: (seq + 1) | 0 }));
    assert.strictEqual(recv(s, 5)!.ack_number, REMOTE_ISS + 2);
  });

  it("validates RST per RFC 5961: challenge ACK unless exact", () => {
    const { s, seq } = established();
    s.process(0, seg({ flags: TCP_RST, seq: REMOTE_ISS + 100 }));
    assert.strictEqual(s.state, TcpState.Established);
    const challenge = recv(s)!;
    assert.strictEqual(challenge.flags, TCP_ACK);
    assert.strictEqual(challenge.ack_number, REMOTE_ISS + 1);
    s.process(0, seg({ flags: TCP_RST, seq: REMOTE_ISS + 1 + 100000 })); // outside the window: ignored
    assert.strictEqual(s.state, TcpState.Established);
    s.process(0, seg({ flags: TCP_RST, seq: REMOTE_ISS + 1, ack: seq }));
    assert.strictEqual(s.state, TcpState.Closed);
    assert.strictEqual(s.error, "reset");
  });

  it("answers a SYN on an established connection with a challenge ACK", () => {
    const { s } = established();
    s.process(0, seg({ flags: TCP_SYN, seq: REMOTE_ISS + 5 }));
    assert.strictEqual(s.state, TcpState.Established);
    assert.strictEqual(recv(s)!.flags, TCP_ACK);
  });

  it("acks an ACK for data never sent, and ignores it", () => {
    const { s, seq } = established();
    s.process(0, seg({ flags: TCP_ACK, seq: REMOTE_ISS + 1, ack: (seq + 5000) | 0 }));
    assert.strictEqual(recv(s)!.flags, TCP_ACK);
  });

  it("delays ACKs for a single segment and acks every second one at once", () => {
    const { s, seq } = established({ ack_delay_us: 40_000 });
    s.process(0, seg({ flags: TCP_ACK | TCP_PSH, seq: REMOTE_ISS + 1, ack: seq, data: new Uint8Array(100) }));
    assert.strictEqual(recv(s, 0), null);
    assert.strictEqual(s.poll_at(0), 40_000);
    assert.strictEqual(recv(s, 40_000)!.ack_number, REMOTE_ISS + 101);
    s.process(50_000, seg({ flags: TCP_ACK, seq: REMOTE_ISS + 101, ack: seq, data: new Uint8Array(100) }));
    s.process(50_000, seg({ flags: TCP_ACK, seq: REMOTE_ISS + 201, ack: seq, data: new Uint8Array(100) }));
    assert.strictEqual(recv(s, 50_000)!.ack_number, REMOTE_ISS + 301);
  });

  it("acks a segment of more than one MSS at once: GRO merged it from several frames", () => {
    const { s, seq } = established({ ack_delay_us: 40_000 });
    s.process(0, seg({ flags: TCP_ACK, seq: REMOTE_ISS + 1, ack: seq, data: new Uint8Array(2920) }));
    assert.strictEqual(recv(s, 0)!.ack_number, REMOTE_ISS + 2921, "no delayed-ACK wait");
  });

  it("after a read, announces the reopened window only once the peer is short of it", () => {
    const { s, seq } = established({ ack_delay_us: 40_000 });
    const sink = new Uint8Array(65536);
    // 3000 bytes: the ACK leaves the peer more than half the buffer to send
    // into, so the read that empties it is not worth a segment of its own.
    s.process(0, seg({ flags: TCP_ACK, seq: REMOTE_ISS + 1, ack: seq, data: new Uint8Array(3000) }));
    assert.ok(recv(s, 0), "the data's ACK");
    assert.strictEqual(s.recv_slice(sink), 3000);
    assert.strictEqual(recv(s, 0), null, "no window update: the next ACK carries the window");
    // 34000 bytes more: now the peer may send less than half the buffer, and the read gives it back.
    s.process(0, seg({ flags: TCP_ACK, seq: REMOTE_ISS + 3001, ack: seq, data: new Uint8Array(34000) }));
    const ack = recv(s, 0)!;
    assert.strictEqual(ack.ack_number, REMOTE_ISS + 37001);
    assert.strictEqual(recv(s, 0), null);
    assert.strictEqual(s.recv_slice(sink), 34000);
    const update = recv(s, 0);
    assert.ok(update, "the window update, at once");
    assert.ok(update.window_len > ack.window_len, `window ${ack.window_len} -> ${update.window_len}`);
  });

  it("reassembles out-of-order data and sends duplicate ACKs for holes", () => {
    const { s, seq } = established();
    const a = new Uint8Array(100).fill(1),
      b = new Uint8Array(100).fill(2);
    s.process(0, seg({ flags: TCP_ACK, seq: REMOTE_ISS + 101, ack: seq, data: b }));
    assert.strictEqual(recv(s)!.ack_number, REMOTE_ISS + 1, "dup ACK");
    s.process(0, seg({ flags: TCP_ACK, seq: REMOTE_ISS + 1, ack: seq, data: a }));
    assert.strictEqual(recv(s)!.ack_number, REMOTE_ISS + 201);
    const out = new Uint8Array(300);
    assert.strictEqual(s.recv_slice(out), 200);
    assert.deepStrictEqual([out[0], out[99], out[100], out[199]], [1, 1, 2, 2]);
  });

  it("applies Nagle unless disabled", () => {
    for (const nagle of [true, false]) {
      const { s } = established({ nagle });
      s.send_slice(new Uint8Array(10));
      assert.strictEqual(recv(s)!.payload_len, 10);
      s.send_slice(new Uint8Array(10));
      const second = recv(s);
      if (nagle) assert.strictEqual(second, null, "small segment held while data is unacked");
      else assert.strictEqual(second!.payload_len, 10);
    }
  });

  it("wakes a blocked writer once half of what is queued is free, not at the first free byte", () => {
    const { s, seq } = established({ tx_buffer_size: 6000 });
    assert.strictEqual(s.send_slice(new Uint8Array(8000)), 6000);
    assert.strictEqual(s.send_ready(), false, "full");
    for (let r = recv(s); r; r = recv(s));
    // 1000 bytes acked: 1000 free, 5000 queued.
    s.process(10, seg({ flags: TCP_ACK, seq: REMOTE_ISS + 1, ack: (seq + 1000) | 0, window: 64000 }));
    assert.ok(s.can_send());
    assert.strictEqual(s.send_ready(), false, "a little room is not worth a wake-up");
    // 2000 acked: 2000 free, 4000 queued.
    s.process(20, seg({ flags: TCP_ACK, seq: REMOTE_ISS + 1, ack: (seq + 2000) | 0, window: 64000 }));
    assert.strictEqual(s.send_ready(), true);
    // A socket that may send no more wakes its writer at once (to fail).
    s.abort();
    assert.strictEqual(s.send_ready(), true);
  });

  it("retransmits on RTO with exponential backoff (Karn: no RTT sample from it)", () => {
    const { s } = established();
    s.send_slice(new Uint8Array(500));
    const first = recv(s, 0)!;
    const t1 = s.poll_at(0);
    assert.ok(t1 > 0 && t1 <= 1_000_000);
    const again = recv(s, t1)!;
    assert.strictEqual(again.seq_number, first.seq_number);
    assert.strictEqual(again.payload_len, 500);
    const t2 = s.poll_at(t1);
    assert.strictEqual(t2 - t1, 2 * t1, "RTO doubled");
  });

  it("fast-retransmits after three duplicate ACKs", () => {
    const { s, seq } = established();
    s.send_slice(new Uint8Array(4000));
    const sent: TcpRepr[] = [];
    for (let r = recv(s); r; r = recv(s)) sent.push(r);
    assert.ok(sent.length >= 4, `sent ${sent.length}`);
    for (let i = 0; i < 3; i++) {
      s.process(10, seg({ flags: TCP_ACK, seq: REMOTE_ISS + 1, ack: seq, window: 64000 }));
    }
    const retransmit = recv(s, 10)!;
    assert.strictEqual(retransmit.seq_number, seq);
    assert.strictEqual(retransmit.payload_len, 1000, "one MSS from snd_una");
  });

  it("probes a zero window", () => {
    const { s, seq } = established();
    s.process(0, seg({ flags: TCP_ACK, seq: REMOTE_ISS + 1, ack: seq, window: 0 }));
    s.send_slice(new Uint8Array(100));
    assert.strictEqual(recv(s, 0), null);
    const at = s.poll_at(0);
    assert.ok(at > 0 && at !== Infinity);
    const probe = recv(s, at)!;
    assert.strictEqual(probe.payload_len, 1);
    // The window opens: the rest follows.
    s.process(at, seg({ flags: TCP_ACK, seq: REMOTE_ISS + 1, ack: (seq + 1) | 0, window: 1000 }));
    assert.strictEqual(recv(s, at)!.payload_len, 99);
  });

  it("sends keep-alives when idle", () => {
    const { s, seq } = established({ keep_alive_us: 5_000_000 });
    recv(s, 0);
    const at = s.poll_at(0);
    assert.ok(at <= 5_000_000 && at > 0);
    const probe = recv(s, at)!;
    assert.strictEqual(probe.seq_number, (seq - 1) | 0);
    assert.strictEqual(probe.payload_len, 0);
  });

  it("advertises the receive window and reopens it after a read", () => {
    const { s, seq } = established({ rx_buffer_size: 4000 });
    for (let i = 0; i < 4; i++) s.process(0, seg({ flags: TCP_ACK, seq: REMOTE_ISS + 1 + i * 1000, ack: seq, data: new Uint8Array(1000) }));
    let last: TcpRepr | null = null;
    for (let r = recv(s); r; r = recv(s)) last = r;
    assert.strictEqual(last!.window_len, 0);
    s.recv_slice(new Uint8Array(4000));
    const update = recv(s)!;
    assert.strictEqual(update.window_len, 4000);
  });
});

describe("net: TCP socket under random segments", () => {
  it("never throws and keeps its invariants for 20k random segments near the window", () => {
    let x = 99;
    const rand = (n: number) => {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      return (x >>> 0) % n;
    };
    for (let round = 0; round < 20; round++) {
      const { s, seq } = established({ rx_buffer_size: 8192, tx_buffer_size: 8192, nagle: rand(2) === 0 });
      let rcv_nxt = REMOTE_ISS + 1;
      let snd = seq;
      const sink = new Uint8Array(8192);
      for (let i = 0; i < 1000 && s.state !== TcpState.Closed; i++) {
        const now = round * 1_000_000_000 + i * 1000;
        if (rand(4) === 0) s.send_slice(new Uint8Array(rand(3000)));
        if (rand(4) === 0) s.recv_slice(sink);
        if (rand(200) === 0) s.close();
        const flags = [TCP_ACK, TCP_ACK | TCP_PSH, TCP_ACK | TCP_FIN, TCP_RST, TCP_SYN, TCP_ACK | TCP_RST, rand(64)][rand(7)];
        const near = (base: number) => (base + (rand(3) === 0 ? rand(0x7fffffff) : rand(20000) - 10000)) | 0;
        s.process(
          now,
          seg({
            flags,
            seq: near(rcv_nxt),
            ack: near(snd),
            window: rand(3) === 0 ? 0 : rand(65536),
            data: new Uint8Array(rand(2) ? 0 : rand(1500)),
          }),
        );
        for (let out = recv(s, now), n = 0; out !== null && n < 100; out = recv(s, now), n++) {
          if (out.flags & TCP_ACK) rcv_nxt = out.ack_number;
          snd = (out.seq_number + out.segment_len()) | 0;
        }
        assert.ok(s.recv_queue() <= 8192 && s.send_queue() <= 8192);
        assert.ok(s.poll_at(now) >= now);
      }
    }
  });
});
