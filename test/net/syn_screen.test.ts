// SYN screening (net/iface/syn_screen.ts): for a second after a SYN was
// answered with a cookie, a SYN from a MAC the ARP table does not hold is
// answered only within the strangers' budget, and the rest are dropped at
// once and counted; a SYN from a MAC the table holds, a neighbour's or the
// gateway's, is always answered.
import * as assert from "assert";
import { ArpCache } from "../../net/iface/arp_cache";
import { Interface } from "../../net/iface/interface";
import { SYN_FLAGS_AT } from "../../net/iface/syn_fast_path";
import { STRANGER_SYN_BURST, STRANGER_SYN_INTERVAL_US, SYN_FLOOD_LINGER_US, SynScreen } from "../../net/iface/syn_screen";
import { SocketSet } from "../../net/socket/socket_set";
import { TcpSocket, TcpState } from "../../net/socket/tcp";
import { ipv4, mac } from "../../net/wire/address";
import { ARP_REQUEST } from "../../net/wire/arp";
import { read_mac } from "../../net/wire/bytes";
import { Drop } from "../../net/wire/error";
import { ETHERNET_HEADER_LEN } from "../../net/wire/ethernet";
import { IPV4_HEADER_LEN } from "../../net/wire/ipv4";
import { TcpRepr, TCP_SYN } from "../../net/wire/tcp";
import { UDP_HEADER_LEN } from "../../net/wire/udp";
import { arp_frame, ScriptDevice, tcp_frame, udp_frame } from "./frames";

const ME = ipv4("10.0.0.1"),
  STRANGER = ipv4("10.0.0.77"),
  FRIEND = ipv4("10.0.0.5"),
  GATEWAY = ipv4("10.0.0.254"),
  REMOTE = ipv4("203.0.113.9");
const MY_MAC = mac("02:00:00:00:00:01"),
  STRANGER_MAC = mac("02:00:00:00:00:77"),
  FRIEND_MAC = mac("02:00:00:00:00:05"),
  GATEWAY_MAC = mac("02:00:00:00:00:fe");
const BROADCAST_MAC = mac("ff:ff:ff:ff:ff:ff");
const PORT = 23;
const NOW = 5e6;

/** A listener whose half-open queue is full from the start: every SYN for it is answered with a cookie, or screened out. */
function flooded() {
  const iface = new Interface({ hardware_addr: MY_MAC, addresses: [{ address: ME, prefix_len: 24 }] });
  iface.add_default_gateway(GATEWAY);
  const device = new ScriptDevice();
  const sockets = new SocketSet();
  const listener = sockets.add_tcp(new TcpSocket());
  listener.listen(PORT, 8, 0, 0);
  return { iface, device, sockets, listener };
}

function syn(src_mac: number, src: number, src_port: number): Uint8Array {
  const r = new TcpRepr();
  r.src_port = src_port;
  r.dst_port = PORT;
  r.flags = TCP_SYN;
  r.seq_number = src_port * 7919;
  r.window_len = 8192;
  r.max_seg_size = 1400;
  return tcp_frame(MY_MAC, src_mac, src, ME, r);
}

/** `n` SYNs from the stranger, each from its own port, all taken at `now_us`. */
function strangers(setup: ReturnType<typeof flooded>, n: number, now_us: number, first_port = 1024): void {
  for (let i = 0; i < n; i++) setup.device.inject(syn(STRANGER_MAC, STRANGER, first_port + i));
  setup.iface.poll(now_us, setup.device, setup.sockets, n);
}

describe("net: SYN screening in a SYN flood", () => {
  it("answers strangers within their budget once a flood is on, and drops and counts the rest", () => {
    const setup = flooded();
    const { iface, device, sockets } = setup;
    strangers(setup, 30, NOW);
    // The first SYN's cookie shows the flood; the budget answers ten more.
    assert.strictEqual(sockets.tcp_ext.syncookies_sent, 1 + STRANGER_SYN_BURST);
    assert.strictEqual(device.sent.length, 1 + STRANGER_SYN_BURST);
    assert.strictEqual(sockets.tcp_ext.syn_screened, 30 - 1 - STRANGER_SYN_BURST);
    assert.strictEqual(iface.stats.rx_dropped[Drop.SynScreened], 30 - 1 - STRANGER_SYN_BURST);
    assert.strictEqual(iface.stats.rx_frames, iface.stats.rx_processed + iface.stats.dropped_total(), "every frame counted once");

    // The budget grows by one each interval.
    strangers(setup, 3, NOW + STRANGER_SYN_INTERVAL_US, 2000);
    assert.strictEqual(sockets.tcp_ext.syncookies_sent, 1 + STRANGER_SYN_BURST + 1);
    assert.strictEqual(sockets.tcp_ext.syn_screened, 30 - 1 - STRANGER_SYN_BURST + 2);
  });

  it("answers a neighbour that resolved us by ARP, and clients beyond the gateway, with the budget spent", () => {
    const setup = flooded();
    const { iface, device, sockets, listener } = setup;
    strangers(setup, 30, NOW);
    const screened = sockets.tcp_ext.syn_screened;
    device.sent.length = 0;

    // The friend asks for our MAC, as a client does before its first SYN; ARP learns its own.
    device.inject(arp_frame(BROADCAST_MAC, FRIEND_MAC, ARP_REQUEST, FRIEND_MAC, FRIEND, 0, ME));
    device.inject(syn(FRIEND_MAC, FRIEND, 40000));
    iface.arp_cache.fill(NOW, GATEWAY, GATEWAY_MAC);
    device.inject(syn(GATEWAY_MAC, REMOTE, 40001));
    iface.poll(NOW, device, sockets);
    assert.strictEqual(sockets.tcp_ext.syn_screened, screened, "neither screened out");
    const synacks = device.sent.filter((f) => f.length > 42);
    assert.deepStrictEqual(
      synacks.map((f) => read_mac(f, 0)),
      [FRIEND_MAC, GATEWAY_MAC],
      "a SYN-ACK to each, the remote client's through the gateway",
    );
    assert.strictEqual(listener.state, TcpState.Listen);
  });

  it("leaves frames alone that only look like a SYN where a plain SYN's flags are", () => {
    const setup = flooded();
    const { iface, device, sockets } = setup;
    strangers(setup, 30, NOW);
    const screened = sockets.tcp_ext.syn_screened;
    // A UDP datagram whose payload has 0x02 where a plain SYN's TCP flags would be.
    const data = new Uint8Array(32);
    data[SYN_FLAGS_AT - (ETHERNET_HEADER_LEN + IPV4_HEADER_LEN + UDP_HEADER_LEN)] = TCP_SYN;
    device.inject(udp_frame(MY_MAC, STRANGER_MAC, STRANGER, ME, 5000, 9, data));
    iface.poll(NOW, device, sockets);
    assert.strictEqual(sockets.tcp_ext.syn_screened, screened);
    assert.strictEqual(iface.stats.rx_dropped[Drop.NoSocket], 1, "up the stack, to no socket");
  });
});

describe("net: the SYN screen's decision", () => {
  const frame = syn(STRANGER_MAC, STRANGER, 1024);

  it("screens only from a flood's sign to SYN_FLOOD_LINGER_US after the last", () => {
    const screen = new SynScreen();
    const neighbours = new ArpCache();
    for (let i = 0; i < 100; i++) assert.ok(screen.admits(NOW, frame, 0, neighbours), "no flood yet: every SYN");
    screen.flood_seen(NOW);
    let admitted = 0;
    for (let i = 0; i < 100; i++) if (screen.admits(NOW, frame, 0, neighbours)) admitted++;
    assert.strictEqual(admitted, STRANGER_SYN_BURST);
    admitted = 0;
    for (let i = 0; i < 100; i++) if (screen.admits(NOW + SYN_FLOOD_LINGER_US - 1, frame, 0, neighbours)) admitted++;
    assert.strictEqual(admitted, STRANGER_SYN_BURST, "still screening, the budget full again");
    const later = NOW + SYN_FLOOD_LINGER_US;
    for (let i = 0; i < 100; i++) assert.ok(screen.admits(later, frame, 0, neighbours), "the flood is over: every SYN again");
  });

  it("admits a SYN from any MAC the neighbour table holds", () => {
    const screen = new SynScreen();
    const neighbours = new ArpCache();
    neighbours.fill(NOW, FRIEND, FRIEND_MAC);
    neighbours.fill(NOW, ipv4("10.0.0.6"), STRANGER_MAC);
    screen.flood_seen(NOW);
    for (let i = 0; i < 100; i++) assert.ok(screen.admits(NOW, frame, 0, neighbours));
  });
});
