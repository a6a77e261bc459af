import * as assert from "assert";
import { Interface } from "../../net/iface/interface";
import { MemoryLink } from "../../net/phy/memory_link";
import { SocketSet } from "../../net/socket/socket_set";
import { UdpSocket } from "../../net/socket/udp";
import { Dhcpv4Socket, DhcpEvent, DhcpState } from "../../net/socket/dhcpv4";
import { Dhcpv4Repr, DHCP_ACK, DHCP_DISCOVER, DHCP_OFFER, DHCP_REQUEST } from "../../net/wire/dhcpv4";
import { Drop } from "../../net/wire/error";
import { ipv4, mac, IPV4_BROADCAST } from "../../net/wire/address";

const SERVER = ipv4("10.0.2.2"),
  LEASED = ipv4("10.0.2.15"),
  DNS = ipv4("10.0.2.3");

/** A one-lease DHCP server in the style of QEMU's slirp. */
function serve(socket: UdpSocket, lease_s: number, log: number[]): void {
  const buf = new Uint8Array(1500);
  const repr = new Dhcpv4Repr();
  for (let len = socket.recv_slice(buf); len >= 0; len = socket.recv_slice(buf)) {
    if (repr.parse(buf, 0, len) !== Drop.None || repr.is_reply) continue;
    log.push(repr.message_type);
    if (repr.message_type !== DHCP_DISCOVER && repr.message_type !== DHCP_REQUEST) continue;
    repr.is_reply = true;
    repr.message_type = repr.message_type === DHCP_DISCOVER ? DHCP_OFFER : DHCP_ACK;
    repr.your_ip = LEASED;
    repr.server_identifier = SERVER;
    repr.subnet_mask = 0xffffff00;
    repr.router = SERVER;
    repr.dns_server = DNS;
    repr.lease_time = lease_s;
    repr.requested_ip = 0;
    const n = repr.emit(buf, 0);
    socket.send_slice(buf, IPV4_BROADCAST, 68, 0, n);
  }
}

describe("net: DHCPv4 client", () => {
  it("acquires, renews and loses a lease", () => {
    const link = new MemoryLink({ delay_us: 1000 });
    const client_if = new Interface({ hardware_addr: mac("52:54:00:12:34:56") });
    const server_if = new Interface({ hardware_addr: mac("52:54:00:00:00:02"), addresses: [{ address: SERVER, prefix_len: 24 }] });
    const client_sockets = new SocketSet(),
      server_sockets = new SocketSet();
    const dhcp = new Dhcpv4Socket();
    client_sockets.add_udp(dhcp.udp);
    const server = server_sockets.add_udp(new UdpSocket());
    server.bind(67);
    const log: number[] = [];
    let serving = true;
    const events: DhcpEvent[] = [];
    let now = 0;
    const run = (until: number) => {
      while (now < until) {
        client_if.poll(now, link.a, client_sockets);
        const event = dhcp.poll(now, client_if);
        if (event !== DhcpEvent.None) events.push(event);
        client_if.poll(now, link.a, client_sockets);
        server_if.poll(now, link.b, server_sockets);
        if (serving) serve(server, 100, log);
        server_if.poll(now, link.b, server_sockets);
        now += 1000;
      }
    };
    run(100_000);
    assert.strictEqual(dhcp.state, DhcpState.Bound);
    assert.deepStrictEqual(log, [DHCP_DISCOVER, DHCP_REQUEST]);
    assert.deepStrictEqual(events, [DhcpEvent.Configured]);
    assert.ok(client_if.has_address(LEASED));
    assert.strictEqual(client_if.fib.lookup(ipv4("1.1.1.1"))?.next_hop, SERVER, "default route via the router");
    assert.strictEqual(dhcp.config!.dns_server, DNS);
    assert.ok(dhcp.poll_at() <= 50_100_000, "renews at T1");
    run(51_000_000);
    assert.deepStrictEqual(log, [DHCP_DISCOVER, DHCP_REQUEST, DHCP_REQUEST], "renewed");
    assert.strictEqual(dhcp.state, DhcpState.Bound);
    serving = false;
    run(152_000_000);
    assert.ok(!client_if.has_address(LEASED), "lease expired");
    assert.deepStrictEqual(events, [DhcpEvent.Configured, DhcpEvent.Deconfigured]);
    assert.strictEqual(dhcp.state, DhcpState.Discovering);
  });
});
