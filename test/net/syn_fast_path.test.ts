// The SYN flood's fast path (net/iface/syn_fast_path.ts): while a
// listener's half-open queue is full, a plain SYN is answered with a cookie
// straight from its frame, to the MAC it came from, without ARP; the
// SYN-ACK is the one the stack would send. What the fast path does not
// take goes up the stack as before.
import * as assert from "assert";
import { Interface } from "../../net/iface/interface";
import { SynFrame, SYNACK_FRAME_LEN } from "../../net/iface/syn_fast_path";
import { SocketSet } from "../../net/socket/socket_set";
import { syncookie_make } from "../../net/socket/syncookies";
import { TcpSocket, TcpState } from "../../net/socket/tcp";
import { ipv4, mac } from "../../net/wire/address";
import { read_mac, read_u16 } from "../../net/wire/bytes";
import { checksum_finish, checksum_sum } from "../../net/wire/checksum";
import { Drop } from "../../net/wire/error";
import { ETHERNET_HEADER_LEN } from "../../net/wire/ethernet";
import { Ipv4Packet, IPV4_HEADER_LEN, IP_PROTOCOL_TCP } from "../../net/wire/ipv4";
import { TcpPacket, TcpRepr, TCP_ACK, TCP_SYN } from "../../net/wire/tcp";
import { ScriptDevice, tcp_frame } from "./frames";

const ME = ipv4("10.0.0.1"),
  STRANGER = ipv4("10.0.0.77");
const MY_MAC = mac("02:00:00:00:00:01"),
  STRANGER_MAC = mac("02:00:00:00:00:77");
const PORT = 23;
const NOW = 3e6;

/** A listener on PORT whose half-open queue holds `syn_backlog`; the interface knows no neighbour. */
function listening(syn_backlog: number) {
  const iface = new Interface({ hardware_addr: MY_MAC, addresses: [{ address: ME, prefix_len: 24 }] });
  const device = new ScriptDevice();
  const sockets = new SocketSet();
  const listener = sockets.add_tcp(new TcpSocket());
  listener.listen(PORT, 8, 0, syn_backlog);
  return { iface, device, sockets, listener };
}

function syn_repr(src_port: number, seq: number, mss = 1400): TcpRepr {
  const r = new TcpRepr();
  r.src_port = src_port;
  r.dst_port = PORT;
  r.flags = TCP_SYN;
  r.seq_number = seq;
  r.window_len = 8192;
  r.max_seg_size = mss;
  return r;
}

function syn(src_port: number, seq: number, mss = 1400): Uint8Array {
  return tcp_frame(MY_MAC, STRANGER_MAC, STRANGER, ME, syn_repr(src_port, seq, mss));
}

/** The same SYN with four bytes of IPv4 options (NOPs), which the fast path leaves to the stack. */
function with_ip_options(frame: Uint8Array): Uint8Array {
  const ip = ETHERNET_HEADER_LEN;
  const out = new Uint8Array(frame.length + 4);
  out.set(frame.subarray(0, ip + IPV4_HEADER_LEN));
  out.fill(1, ip + IPV4_HEADER_LEN, ip + IPV4_HEADER_LEN + 4);
  out.set(frame.subarray(ip + IPV4_HEADER_LEN), ip + IPV4_HEADER_LEN + 4);
  out[ip] = 0x46;
  const total = read_u16(out, ip + 2) + 4;
  out[ip + 2] = total >>> 8;
  out[ip + 3] = total;
  out[ip + 10] = out[ip + 11] = 0;
  const sum = checksum_finish(checksum_sum(out, ip, IPV4_HEADER_LEN + 4, 0));
  out[ip + 10] = sum >>> 8;
  out[ip + 11] = sum;
  return out;
}

/** A sent frame's IPv4 packet and TCP segment, both checked (checksums too), and its TCP fields. */
function parse_sent(frame: Uint8Array): { ip: Ipv4Packet; tcp: TcpRepr } {
  const ip = new Ipv4Packet().point(frame, ETHERNET_HEADER_LEN, frame.length - ETHERNET_HEADER_LEN);
  assert.strictEqual(ip.check(true), Drop.None, "IPv4 header and checksum");
  const packet = new TcpPacket().point(frame, ip.payload_offset(), ip.payload_len());
  assert.strictEqual(packet.check(ip.src_addr(), ip.dst_addr(), true), Drop.None, "TCP header and checksum");
  const tcp = new TcpRepr();
  assert.strictEqual(tcp.parse(packet), Drop.None);
  return { ip, tcp };
}

describe("net: the SYN flood's fast path", () => {
  it("answers a SYN from an unknown neighbour at once, to the MAC it came from, with a cookie, and no ARP", () => {
    const { iface, device, sockets, listener } = listening(0);
    device.inject(syn(1999, 5000));
    iface.poll(NOW, device, sockets);
    assert.strictEqual(device.sent.length, 1, "one frame: the SYN-ACK, no ARP request before it");
    const frame = device.sent[0];
    assert.strictEqual(read_mac(frame, 0), STRANGER_MAC);
    assert.strictEqual(read_mac(frame, 6), MY_MAC);
    const { ip, tcp } = parse_sent(frame);
    assert.strictEqual(ip.src_addr(), ME);
    assert.strictEqual(ip.dst_addr(), STRANGER);
    assert.strictEqual(ip.ttl(), 64);
    assert.strictEqual(tcp.flags, TCP_SYN | TCP_ACK);
    assert.strictEqual(tcp.src_port, PORT);
    assert.strictEqual(tcp.dst_port, 1999);
    assert.strictEqual(tcp.seq_number, syncookie_make(NOW, STRANGER, 1999, ME, PORT, 5000, 1400));
    assert.strictEqual(tcp.ack_number, 5001);
    assert.strictEqual(tcp.window_len, Math.min(listener.config.rx_buffer_size, 0xffff));
    assert.strictEqual(tcp.max_seg_size, 1460);
    assert.strictEqual(tcp.window_scale, -1, "no window scaling on a cookie");
    assert.strictEqual(sockets.tcp_ext.syncookies_sent, 1);
    assert.strictEqual(sockets.tcp_ext.req_q_full_do_cookies, 1);
    assert.strictEqual(iface.stats.rx_processed, 1);
    assert.strictEqual(iface.stats.tx_frames, 1);

    // The stack makes the connection from the cookie the fast path sent.
    const ack = syn_repr(1999, 5001);
    ack.flags = TCP_ACK;
    ack.max_seg_size = 0;
    ack.ack_number = (tcp.seq_number + 1) | 0;
    device.inject(tcp_frame(MY_MAC, STRANGER_MAC, STRANGER, ME, ack));
    iface.poll(NOW + 1000, device, sockets);
    assert.strictEqual(sockets.tcp_ext.syncookies_recv, 1);
    assert.strictEqual(listener.accept()?.state, TcpState.Established);
  });

  it("sends the SYN-ACK the stack sends, but for the IPv4 ident", () => {
    const fast = listening(0);
    fast.device.inject(syn(2000, 777, 9000));
    fast.iface.poll(NOW, fast.device, fast.sockets);
    // The stack answers the SYN the fast path leaves it (IP options), once ARP has told it where to.
    const stack = listening(0);
    stack.iface.arp_cache.fill(0, STRANGER, STRANGER_MAC);
    stack.device.inject(with_ip_options(syn(2000, 777, 9000)));
    stack.iface.poll(NOW, stack.device, stack.sockets);
    assert.strictEqual(fast.device.sent.length, 1);
    assert.strictEqual(stack.device.sent.length, 1);
    const [a, b] = [fast.device.sent[0], stack.device.sent[0]];
    assert.strictEqual(a.length, b.length);
    const differ = [];
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) differ.push(i);
    const ident = ETHERNET_HEADER_LEN + 4,
      ip_checksum = ETHERNET_HEADER_LEN + 10;
    for (const i of differ) assert.ok(i === ident || i === ident + 1 || i === ip_checksum || i === ip_checksum + 1, `byte ${i} differs`);
    assert.strictEqual(fast.sockets.tcp_ext.syncookies_sent, 1);
    assert.strictEqual(stack.sockets.tcp_ext.syncookies_sent, 1);
  });

  it("writes the same SYN-ACK into a frame at an odd address as at an even one", () => {
    const frame = syn(2000, 777, 9000);
    const reply = new SynFrame(Uint8Array.of(2, 0, 0, 0, 0, 1));
    assert.ok(reply.read(frame, 0, frame.length, true));
    const out = new Uint8Array(2 * SYNACK_FRAME_LEN + 1);
    reply.write_synack(out, 0, 1, 0x12345678, 5000, 1400, true);
    reply.write_synack(out, SYNACK_FRAME_LEN + 1, 1, 0x12345678, 5000, 1400, true);
    assert.deepStrictEqual(out.subarray(SYNACK_FRAME_LEN + 1), out.subarray(0, SYNACK_FRAME_LEN));
    assert.strictEqual(read_mac(out, 0), STRANGER_MAC, "back to the SYN's sender");
  });

  it("answers only a SYN addressed to its MAC: the stack drops another as not for us", () => {
    const { iface, device, sockets } = listening(0);
    device.inject(tcp_frame(mac("02:00:00:00:00:99"), STRANGER_MAC, STRANGER, ME, syn_repr(1999, 5000)));
    iface.poll(NOW, device, sockets);
    assert.strictEqual(device.sent.length, 0);
    assert.strictEqual(sockets.tcp_ext.syncookies_sent, 0);
    assert.strictEqual(iface.stats.rx_dropped[Drop.NotForUs], 1);
  });

  it("leaves to the stack a listener with room, a connection's own SYN, bad options and bad checksums", () => {
    // Room in the half-open queue: a half-open connection, not a cookie.
    const roomy = listening(1);
    roomy.device.inject(syn(3000, 100));
    roomy.iface.poll(NOW, roomy.device, roomy.sockets);
    assert.strictEqual(roomy.sockets.tcp.length, 2);
    assert.strictEqual(roomy.sockets.tcp_ext.syncookies_sent, 0);

    // The queue is now full; the same SYN again belongs to that connection, which answers it.
    roomy.device.inject(syn(3000, 100));
    roomy.iface.poll(NOW + 1000, roomy.device, roomy.sockets);
    assert.strictEqual(roomy.sockets.tcp_ext.syncookies_sent, 0, "no cookie for a connection's own SYN");

    const full = listening(0);
    const bad_option = syn(3001, 200);
    const tcp = ETHERNET_HEADER_LEN + IPV4_HEADER_LEN;
    bad_option[tcp + 20 + 1] = 1; // the MSS option says it is one byte long; the checksum still checks out
    bad_option[tcp + 16] = bad_option[tcp + 17] = 0;
    const tcp_len = bad_option.length - tcp;
    const sum = checksum_finish(checksum_sum(bad_option, tcp - 8, 8 + tcp_len, IP_PROTOCOL_TCP + tcp_len));
    bad_option[tcp + 16] = sum >>> 8;
    bad_option[tcp + 17] = sum;
    const bad_checksum = syn(3002, 300);
    bad_checksum[bad_checksum.length - 1] ^= 0xff;
    full.device.inject(bad_option);
    full.device.inject(bad_checksum);
    full.iface.poll(NOW, full.device, full.sockets);
    assert.strictEqual(full.device.sent.length, 0);
    assert.strictEqual(full.iface.stats.rx_dropped[Drop.BadOption], 1);
    assert.strictEqual(full.iface.stats.rx_dropped[Drop.BadChecksum], 1);
    assert.strictEqual(full.sockets.tcp_ext.syncookies_sent, 0);
  });
});
