// The host side's DHCP and DNS servers, driven with napkin's own DHCP client
// and hand-made queries, without booting anything.
import { strict as assert } from "assert";
import { Interface } from "../../net/iface/interface";
import { Dhcpv4Socket, DhcpEvent } from "../../net/socket/dhcpv4";
import { SocketSet } from "../../net/socket/socket_set";
import { DhcpServer } from "../../tools/hostnet/dhcp_server";
import { parse_question, RCODE_NXDOMAIN, RCODE_NOERROR } from "../../net/wire/dns";
import { DnsServer } from "../../tools/hostnet/dns_server";
import { GATEWAY, GUEST, NAMESERVER, UserNet } from "../../tools/hostnet/user_net";
import { IcmpSocket } from "../../net/socket/icmp";
import { UdpSocket } from "../../net/socket/udp";
import { host_now_us } from "../../tools/hostnet/host_stack";
import { wire } from "./fake_wire";
import { MemoryLink } from "../../net/phy/memory_link";

describe("host network: DHCP server", () => {
  it("leases 10.0.2.15/24 with router and name server to napkin's DHCP client", () => {
    const link = new MemoryLink();
    const [host_end, guest_end] = [link.a, link.b];
    const host = new Interface({ hardware_addr: 0x525400123502 });
    host.add_address(GATEWAY, 24);
    const host_sockets = new SocketSet();
    const server = new DhcpServer(host_sockets, {
      server: GATEWAY,
      offer: GUEST,
      prefix_len: 24,
      router: GATEWAY,
      dns: NAMESERVER,
      lease_seconds: 3600,
    });
    const guest = new Interface({ hardware_addr: 0x525400123456 });
    const guest_sockets = new SocketSet();
    const client = new Dhcpv4Socket();
    guest_sockets.add_udp(client.udp);
    let configured = false;
    for (let step = 0, now = 0; step < 20 && !configured; step++, now += 1000) {
      configured = client.poll(now, guest) === DhcpEvent.Configured;
      guest.poll(now, guest_end, guest_sockets);
      host.poll(now, host_end, host_sockets);
      server.poll();
      host.poll(now, host_end, host_sockets);
    }
    assert.ok(configured, "the client should be configured");
    assert.deepEqual(client.config && [client.config.address, client.config.prefix_len, client.config.router, client.config.dns_server], [
      GUEST,
      24,
      GATEWAY,
      NAMESERVER,
    ]);
    assert.deepEqual([server.offers, server.acks, server.naks], [1, 1, 0]);
  });
});

describe("host network: DNS server", () => {
  const dns = new DnsServer(
    new SocketSet(),
    NAMESERVER,
    new Map([
      ["host", GATEWAY],
      ["gateway", GATEWAY],
    ]),
  );

  function query(name: string, type = 1): Uint8Array {
    const labels = name.split(".").flatMap((label) => [label.length, ...Array.from(label, (c) => c.charCodeAt(0))]);
    return Uint8Array.from([0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, ...labels, 0, 0, type, 0, 1]);
  }

  it("answers A for host and gateway (any case) with 10.0.2.2", () => {
    for (const name of ["host", "GateWay"]) {
      const q = query(name);
      const reply = dns.answer(q, q.length)!;
      assert.equal((reply[0] << 8) | reply[1], 0x1234);
      assert.equal(reply[3] & 0xf, RCODE_NOERROR);
      assert.equal((reply[6] << 8) | reply[7], 1, "one answer");
      assert.deepEqual(Array.from(reply.subarray(reply.length - 4)), [10, 0, 2, 2]);
      assert.equal(parse_question(reply, reply.length), null, "a response is no question");
    }
  });

  it("says NXDOMAIN for other names, and no answer for AAAA of a known one", () => {
    let reply = dns.answer(query("example.com"), query("example.com").length)!;
    assert.equal(reply[3] & 0xf, RCODE_NXDOMAIN);
    reply = dns.answer(query("host", 28), query("host", 28).length)!;
    assert.deepEqual([reply[3] & 0xf, reply[7]], [RCODE_NOERROR, 0]);
  });

  it("answers garbage with FORMERR or not at all", () => {
    assert.equal(dns.answer(Uint8Array.of(1, 2, 3), 3), null);
    const truncated = query("host").subarray(0, 15);
    assert.equal(dns.answer(truncated, truncated.length)![3] & 0xf, 1);
  });
});

describe("host network: the user network end to end", () => {
  it("leases the guest its address, then answers its DNS query and pings on 10.0.2.2 and 10.0.2.3", async () => {
    const [host_link, guest_link] = wire();
    const user_net = new UserNet(host_link);
    const guest = new Interface({ hardware_addr: 0x525400123456 });
    const sockets = new SocketSet();
    const dhcp = new Dhcpv4Socket();
    sockets.add_udp(dhcp.udp);
    /** Run the guest side (the host side runs itself) until cond() holds. */
    const until = async (cond: () => boolean) => {
      for (let i = 0; i < 2000 && !cond(); i++) {
        dhcp.poll(host_now_us(), guest);
        guest.poll(host_now_us(), guest_link, sockets);
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
      return cond();
    };
    try {
      assert.ok(await until(() => dhcp.config !== null), "DHCP lease");
      assert.ok(guest.has_address(GUEST));

      const udp = sockets.add_udp(new UdpSocket());
      const q = Uint8Array.from([
        0xab,
        0xcd,
        1,
        0,
        0,
        1,
        0,
        0,
        0,
        0,
        0,
        0,
        4,
        ...Array.from("host", (c) => c.charCodeAt(0)),
        0,
        0,
        1,
        0,
        1,
      ]);
      udp.send_slice(q, NAMESERVER, 53);
      assert.ok(await until(() => udp.can_recv()), "DNS answer");
      const reply = new Uint8Array(512);
      const n = udp.recv_slice(reply);
      assert.equal(udp.last_src_addr, NAMESERVER);
      assert.deepEqual(Array.from(reply.subarray(n - 4, n)), [10, 0, 2, 2]);

      for (const target of [GATEWAY, NAMESERVER]) {
        const icmp = sockets.add_icmp(new IcmpSocket());
        icmp.bind(0x4242);
        icmp.send_echo(target, 1, new Uint8Array(8));
        let replied = false; // recv_echo takes the reply: remember it
        assert.ok(await until(() => (replied ||= icmp.recv_echo(new Uint8Array(8)) >= 0)), "echo reply");
        sockets.remove_icmp(icmp);
      }
    } finally {
      user_net.stop();
    }
  });
});
