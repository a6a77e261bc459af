// SYN cookies and the keyed hash under them, and a listener under a SYN
// flood: an interface whose listener's half-open queue is full answers with
// cookies, and a real client still connects.
import * as assert from "assert";
import { hsiphash_4u32_js } from "../../net/socket/hsiphash";
import { syncookie_check, syncookie_make, SYNCOOKIE_PERIOD_US } from "../../net/socket/syncookies";
import { Interface } from "../../net/iface/interface";
import { SocketSet } from "../../net/socket/socket_set";
import { TcpSocket, TcpState } from "../../net/socket/tcp";
import { ipv4, mac } from "../../net/wire/address";
import { Drop } from "../../net/wire/error";
import { ETHERNET_HEADER_LEN } from "../../net/wire/ethernet";
import { IPV4_HEADER_LEN, IP_PROTOCOL_TCP } from "../../net/wire/ipv4";
import { Device, DeviceCapabilities, Frame } from "../../net/iface/device";
import { TcpPacket, TcpRepr, TCP_ACK, TCP_PSH, TCP_RST, TCP_SYN } from "../../net/wire/tcp";
import { ScriptDevice, tcp_frame } from "./frames";
import { Simulation, ADDR_B, MAC_B, pattern } from "./harness";

const ME = ipv4("10.0.0.1"),
  PEER = ipv4("10.0.0.2");
const MY_MAC = mac("02:00:00:00:00:01"),
  PEER_MAC = mac("02:00:00:00:00:02");

describe("net: HalfSipHash-2-4", () => {
  it("gives the reference implementation's output for 16 bytes", () => {
    // vectors_hsip32[16] of the reference code: key 00..07, message 00..0f.
    assert.strictEqual(hsiphash_4u32_js(0x03020100, 0x07060504, 0x0b0a0908, 0x0f0e0d0c, 0x03020100, 0x07060504), 0x84acb5d9);
  });
});

describe("net: SYN cookies", () => {
  const cookie = (now: number, isn: number, mss: number) => syncookie_make(now, PEER, 40000, ME, 23, isn, mss);
  const check = (now: number, isn: number, c: number) => syncookie_check(now, PEER, 40000, ME, 23, isn, c);

  it("give back the MSS they carry (the largest table value not above the peer's) for two minutes", () => {
    for (const [mss, carried] of [
      [1460, 1460],
      [1400, 1300],
      [9000, 1460],
      [600, 536],
      [100, 536],
    ]) {
      const c = cookie(1e6, 777, mss);
      assert.strictEqual(check(1e6, 777, c), carried);
      assert.strictEqual(check(1e6 + SYNCOOKIE_PERIOD_US, 777, c), carried, "good in the next period");
      assert.strictEqual(check(1e6 + 2 * SYNCOOKIE_PERIOD_US, 777, c), 0, "not in the one after");
    }
  });

  it("do not check out for another connection, another ISN, or a changed number", () => {
    const c = cookie(1e6, 777, 1460);
    assert.strictEqual(check(1e6, 777 + 1000, c), 0);
    assert.strictEqual(syncookie_check(1e6, PEER, 40001, ME, 23, 777, c), 0);
    assert.strictEqual(syncookie_check(1e6, PEER + 1, 40000, ME, 23, 777, c), 0);
    // The MSS index is added in, as in Linux: only the two bits it occupies may move and still check out.
    for (let bit = 2; bit < 32; bit++) assert.strictEqual(check(1e6, 777, c ^ (1 << bit)), 0, `bit ${bit} flipped`);
  });
});

/** An interface with a listener on port 23 fed by hand. */
function listening(syn_backlog: number, backlog = 8) {
  const iface = new Interface({ hardware_addr: MY_MAC, addresses: [{ address: ME, prefix_len: 24 }] });
  iface.arp_cache.fill(0, PEER, PEER_MAC);
  const device = new ScriptDevice();
  const sockets = new SocketSet();
  const listener = sockets.add_tcp(new TcpSocket());
  listener.listen(23, backlog, 0, syn_backlog);
  return { iface, device, sockets, listener };
}

function segment(src_port: number, flags: number, seq: number, ack: number, data?: Uint8Array): Uint8Array {
  const r = new TcpRepr();
  r.src_port = src_port;
  r.dst_port = 23;
  r.flags = flags;
  r.seq_number = seq;
  r.ack_number = ack;
  r.window_len = 8192;
  if (flags & TCP_SYN) r.max_seg_size = 1400;
  if (data) {
    r.payload = data;
    r.payload_len = data.length;
  }
  return tcp_frame(MY_MAC, PEER_MAC, PEER, ME, r);
}

/** A listener with no room for half-open connections that has answered one SYN with a cookie. */
function setup_with_cookie_sent() {
  const rig = listening(0);
  rig.device.inject(segment(1999, TCP_SYN, 5000, 0));
  rig.iface.poll(0, rig.device, rig.sockets);
  assert.strictEqual(rig.sockets.tcp_ext.syncookies_sent, 1);
  rig.device.sent.length = 0;
  return rig;
}

/** The TCP segments among the frames the device sent. */
function sent_tcp(device: ScriptDevice): TcpRepr[] {
  const segments: TcpRepr[] = [];
  for (const frame of device.sent) {
    if (frame[12] !== 0x08 || frame[13] !== 0x00 || frame[ETHERNET_HEADER_LEN + 9] !== IP_PROTOCOL_TCP) continue;
    const at = ETHERNET_HEADER_LEN + IPV4_HEADER_LEN;
    const r = new TcpRepr();
    r.parse(new TcpPacket().point(frame, at, frame.length - at));
    segments.push(r);
  }
  return segments;
}

/** B's device with a flood in front: `frames` come in first, then what the link brings. */
class FloodDevice implements Device {
  readonly capabilities: DeviceCapabilities;
  private readonly frame: Frame = { buffer: new Uint8Array(0), offset: 0, length: 0 };

  constructor(
    private readonly inner: Device,
    private readonly frames: Uint8Array[],
  ) {
    this.capabilities = inner.capabilities;
  }

  receive(now_us: number): Frame | null {
    const next = this.frames.shift();
    if (next === undefined) return this.inner.receive(now_us);
    this.frame.buffer = next;
    this.frame.length = next.length;
    return this.frame;
  }

  transmit(now_us: number, length: number): Frame | null {
    return this.inner.transmit(now_us, length);
  }
  transmit_commit(now_us: number): void {
    this.inner.transmit_commit(now_us);
  }
}

describe("net: a listener under a SYN flood", () => {
  it("answers SYNs beyond its half-open queue with cookies, and makes the connection from a returned cookie", () => {
    const { iface, device, sockets, listener } = listening(2);
    for (let port = 1000; port < 1010; port++) device.inject(segment(port, TCP_SYN, port * 1000, 0));
    iface.poll(0, device, sockets);
    assert.strictEqual(sockets.tcp.length, 3, "the listener and two half-open connections");
    assert.strictEqual(sockets.tcp_ext.syncookies_sent, 8);
    assert.strictEqual(sockets.tcp_ext.req_q_full_do_cookies, 8);
    const synacks = sent_tcp(device).filter((r) => r.flags === (TCP_SYN | TCP_ACK));
    assert.strictEqual(synacks.length, 10);
    const cookie = synacks.find((r) => r.dst_port === 1009)!;
    assert.strictEqual(cookie.window_scale, -1, "no window scaling on a cookie");
    assert.strictEqual(cookie.max_seg_size, 1460);

    device.sent.length = 0;
    device.inject(segment(1009, TCP_ACK | TCP_PSH, 1009 * 1000 + 1, (cookie.seq_number + 1) | 0, new Uint8Array([104, 105])));
    iface.poll(1000, device, sockets);
    assert.strictEqual(sockets.tcp_ext.syncookies_recv, 1);
    const conn = listener.accept()!;
    assert.ok(conn, "the cookie's connection waits for accept()");
    assert.strictEqual(conn.state, TcpState.Established);
    assert.strictEqual(conn.remote_port, 1009);
    const got = new Uint8Array(2);
    assert.strictEqual(conn.recv_slice(got), 2, "the data on the ACK was taken");
    conn.send_slice(new Uint8Array(3000));
    iface.poll(2000, device, sockets);
    const data = sent_tcp(device).filter((r) => r.payload_len > 0);
    assert.strictEqual(data[0].seq_number, (cookie.seq_number + 1) | 0, "our sequence numbers go on from the cookie");
    assert.strictEqual(data[0].payload_len, 1300, "the MSS the cookie carried (the table's value under 1400)");
  });

  it("resets an ACK whose cookie does not check out, and counts it", () => {
    const { iface, device, sockets } = setup_with_cookie_sent();
    device.inject(segment(2000, TCP_ACK, 5001, 12345));
    iface.poll(1000, device, sockets);
    assert.strictEqual(sockets.tcp_ext.syncookies_failed, 1);
    assert.strictEqual(sockets.tcp.length, 1, "no connection made");
    assert.ok(sent_tcp(device).some((r) => r.flags === TCP_RST && r.dst_port === 2000));
  });

  it("drops SYNs and handshakes while the accept queue is full, and counts the overflows", () => {
    const { iface, device, sockets, listener } = listening(4, 1);
    device.inject(segment(1000, TCP_SYN, 1000, 0));
    iface.poll(0, device, sockets);
    const [synack] = sent_tcp(device);
    device.inject(segment(1000, TCP_ACK, 1001, (synack.seq_number + 1) | 0));
    device.inject(segment(1001, TCP_SYN, 5000, 0));
    iface.poll(0, device, sockets);
    assert.strictEqual(sockets.tcp_ext.listen_overflows, 1);
    assert.strictEqual(sockets.tcp_ext.listen_drops, 1);
    assert.strictEqual(sockets.tcp.length, 2, "no half-open connection for the second SYN");
    assert.ok(listener.accept());
  });

  it("refuses connections beyond the namespace's socket cap, counted", () => {
    const { iface, device, sockets } = listening(4);
    sockets.tcp_max_sockets = 2;
    device.inject(segment(1000, TCP_SYN, 1000, 0));
    device.inject(segment(1001, TCP_SYN, 5000, 0));
    iface.poll(0, device, sockets);
    assert.strictEqual(sockets.tcp.length, 2);
    assert.strictEqual(sockets.tcp_ext.socket_cap_refused, 1);
    assert.strictEqual(sockets.tcp_ext.listen_drops, 1);
  });

  it("lets a client through a flood of a thousand spoofed SYNs at once", () => {
    const flood: Uint8Array[] = [];
    for (let i = 0; i < 1000; i++) {
      const r = new TcpRepr();
      r.src_port = 1024 + i;
      r.dst_port = 5001;
      r.flags = TCP_SYN;
      r.seq_number = i * 7919;
      r.window_len = 1024;
      // From addresses no machine on the link has: nobody answers B's SYN-ACKs (or its ARP requests).
      flood.push(tcp_frame(MAC_B, mac("02:00:00:00:00:66"), ipv4("10.0.0.100") + (i % 100), ADDR_B, r));
    }
    const sim = new Simulation({}, false, (device) => new FloodDevice(device, flood));
    const listener = sim.b.sockets.add_tcp(new TcpSocket());
    listener.listen(5001, 4, 0, 16);
    const client = sim.a.sockets.add_tcp(new TcpSocket());
    sim.a.iface.tcp_connect(sim.now, client, ADDR_B, 5001, 40000);
    let server: TcpSocket | null = null;
    assert.ok(sim.run_until(() => (server = server ?? listener.accept()) !== null, 10e6));
    assert.ok(sim.now < 1e6, `connected after ${sim.now} µs: no SYN had to go again`);
    assert.strictEqual(client.state, TcpState.Established);
    const mib = sim.b.sockets.tcp_ext;
    // Past the half-open queue, a flood SYN is answered with a cookie or,
    // beyond the strangers' budget, screened out (syn_screen.ts); the
    // client's, from the MAC that B's ARP table holds, is answered.
    assert.strictEqual(mib.syncookies_sent + mib.syn_screened, 1000 - 16 + 1, "every SYN past the half-open queue, the client's too");
    assert.ok(mib.syn_screened >= 900, `${mib.syn_screened} of the flood's SYNs screened out`);
    assert.strictEqual(sim.b.iface.stats.rx_dropped[Drop.SynScreened], mib.syn_screened);
    assert.strictEqual(mib.syncookies_recv, 1);
    const data = pattern(20_000, 3);
    const got = new Uint8Array(data.length);
    let sent = 0,
      received = 0;
    assert.ok(
      sim.run_until(
        () => received === data.length,
        10e6,
        () => {
          sent += client.send_slice(data, sent);
          received += server!.recv_slice(got, received);
        },
      ),
    );
    assert.deepStrictEqual(got, data);
  });
});
