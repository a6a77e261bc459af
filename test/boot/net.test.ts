// Boot tests for the NAPI receive path on both NICs v86 emulates. The host
// side of the wire is napkin's own net/ stack running under Node.
import { strict as assert } from "assert";
import { IcmpSocket } from "../../net/socket/icmp";
import { UdpSocket } from "../../net/socket/udp";
import { TcpSocket, TcpState } from "../../net/socket/tcp";
import { ipv4 } from "../../net/wire/address";
import { HostStack } from "../../tools/hostnet/host_stack";
import { V86Link } from "../../tools/hostnet/v86_link";
import { SerialConsole } from "./serial_console";

const GUEST = "10.0.2.15";
const HOST = "10.0.2.2";

/** Polls the host stack until `cond` holds or the time runs out. */
async function host_until(host: HostStack, cond: () => boolean, timeout_ms = 20_000): Promise<boolean> {
  const deadline = Date.now() + timeout_ms;
  while (!cond() && Date.now() < deadline) {
    host.poll();
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  return cond();
}

/** Sends `count` echo requests one after another; resolves with the replies seen. */
async function host_ping(host: HostStack, count: number, timeout_ms = 5000): Promise<number> {
  const socket = host.sockets.add_icmp(new IcmpSocket());
  socket.bind(0x1234);
  const reply = new Uint8Array(128);
  let replies = 0;
  for (let seq = 0; seq < count; seq++) {
    socket.send_echo(ipv4(GUEST), seq, new Uint8Array(56).fill(seq & 0xff));
    host.poll();
    const deadline = Date.now() + timeout_ms;
    let answered = false;
    while (!answered && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 1));
      while (socket.recv_echo(reply) >= 0) {
        if (socket.last_seq_no === seq) answered = true;
        replies++;
      }
    }
  }
  host.sockets.remove_icmp(socket);
  return replies;
}

for (const nic of ["ne2k", "virtio"] as const) {
  describe(`boot: networking on ${nic}`, function () {
    this.timeout(300_000);
    let con: SerialConsole;
    let host: HostStack;

    before(async () => {
      con = await SerialConsole.boot({ nic, cmdline: `ip=${GUEST}/24 gw=${HOST} dhcp_timeout=0` });
      host = new HostStack(new V86Link(con.vm.emulator.bus), { address: `${HOST}/24` });
    });
    after(async () => {
      host?.stop();
      await con?.close();
    });

    it("finds the NIC on PCI and routes its interrupt", async () => {
      const out = await con.run("lspci -v");
      assert.match(out, nic === "ne2k" ? /Ethernet controller: .*RTL-8029/ : /Virtio/);
      assert.match(out, /pin A routed to IRQ \d+/);
    });

    it("answers ARP and ICMP echo from the host with valid checksums", async () => {
      assert.equal(await host_ping(host, 10), 10);
      // The host stack verifies every checksum and counts what it drops.
      assert.equal(host.iface.stats.dropped_total(), 0);
    });

    it("answers 1000 pings from the host side without loss", async () => {
      assert.equal(await host_ping(host, 1000), 1000);
    });

    it("pings its gateway", async () => {
      const out = await con.run(`ping -c 3 -i 0.2 ${HOST}`, 60_000);
      assert.match(out, /3 packets transmitted, 3 received, 0% packet loss/);
      assert.match(out, /rtt min\/avg\/max\/mdev = [\d.]+\/[\d.]+\/[\d.]+\/[\d.]+ ms/);
    });

    it("accepts a TCP connection on a listening port and echoes through it", async () => {
      const socket = host.sockets.add_tcp(new TcpSocket());
      host.iface.tcp_connect(performance.now() * 1000, socket, ipv4(GUEST), 7, 40007);
      assert.ok(await host_until(host, () => socket.state === TcpState.Established), `state ${TcpState[socket.state]}`);
      const message = new TextEncoder().encode("napkin echoes this line\n");
      socket.send_slice(message);
      const echoed = new Uint8Array(message.length);
      let got = 0;
      assert.ok(await host_until(host, () => (got += socket.recv_slice(echoed, got)) === message.length));
      assert.deepEqual(echoed, message);
      socket.close();
      assert.ok(await host_until(host, () => socket.state === TcpState.TimeWait || socket.state === TcpState.Closed));
    });

    it("echoes UDP on port 7, takes it on port 9, and counts both in /proc/net/snmp", async () => {
      const udp = (n: number) => Number((snmp.match(/^Udp: (\d+) (\d+) (\d+) (\d+) (\d+)/m) ?? [])[n]);
      let snmp = await con.run("cat /proc/net/snmp");
      const delivered_before = udp(1);
      const echo = host.sockets.add_udp(new UdpSocket());
      echo.bind(40123);
      for (const port of [7, 9, 7]) echo.send_slice(Uint8Array.from([1, 2, 3, port]), ipv4(GUEST), port);
      const buf = new Uint8Array(16);
      const echoed: number[] = [];
      assert.ok(
        await host_until(host, () => {
          while (echo.can_recv()) {
            const n = echo.recv_slice(buf);
            echoed.push(n, buf[3], echo.last_src_port);
          }
          return echoed.length >= 6;
        }),
      );
      assert.deepEqual(echoed, [4, 7, 7, 4, 7, 7], "two echoes from port 7, nothing back from the discard service");
      snmp = await con.run("cat /proc/net/snmp");
      assert.equal(udp(1) - delivered_before, 3, "InDatagrams: all three delivered");
      host.sockets.remove_udp(echo);
    });

    it("answers a SYN to a closed port with RST", async () => {
      const socket = host.sockets.add_tcp(new TcpSocket());
      host.iface.tcp_connect(performance.now() * 1000, socket, ipv4(GUEST), 4444, 40008);
      assert.ok(await host_until(host, () => socket.state === TcpState.Closed));
      assert.match(socket.error, /refused|reset/i);
    });

    if (nic === "ne2k") {
      it("filters other stations' frames unless promiscuous", async () => {
        const other_station = Uint8Array.from([
          0x02,
          0,
          0,
          0,
          0,
          0x99,
          0x52,
          0x54,
          0,
          0x12,
          0x35,
          0x02,
          0x08,
          0x00,
          ...new Array(46).fill(0),
        ]);
        const not_for_us = async () => Number((await con.run("ip -s link show dev eth0")).match(/not_for_us (\d+)/)?.[1] ?? 0);
        // A ping after the frame: once it is answered, the frame before it was handled too.
        const send_and_settle = async () => {
          host.link.inject(other_station);
          assert.equal(await host_ping(host, 1), 1);
        };
        const before = await not_for_us();
        await send_and_settle();
        assert.equal(await not_for_us(), before, "the NIC should filter it");
        await con.run("ip link set dev eth0 promisc on");
        assert.match(await con.run("ip link show dev eth0"), /PROMISC/);
        await send_and_settle();
        assert.equal(await not_for_us(), before + 1, "promiscuous: it reaches the stack, which drops it");
        await con.run("ip link set dev eth0 promisc off");
      });
    }

    it("counts malformed frames as drops and keeps answering", async () => {
      const link = host.link;
      const mac = [0x52, 0x54, 0x00, 0x12, 0x35, 0x02];
      const broadcast = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff];
      const ipv4_header = (total: number, checksum_ok: boolean) => {
        const h = [0x45, 0, total >> 8, total & 255, 0, 1, 0, 0, 64, 1, 0, 0, 10, 0, 2, 2, 10, 0, 2, 15];
        if (checksum_ok) {
          let sum = 0;
          for (let i = 0; i < 20; i += 2) sum += (h[i] << 8) | h[i + 1];
          while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
          const c = ~sum & 0xffff;
          h[10] = c >> 8;
          h[11] = c & 255;
        }
        return h;
      };
      const frames = [
        [...broadcast, ...mac, 0x08, 0x00, 0x45], // truncated IPv4 (padded by the NIC)
        [...broadcast, ...mac, 0x08, 0x00, ...ipv4_header(84, false), ...new Array(64).fill(0)], // bad header checksum
        [...broadcast, ...mac, 0x08, 0x00, ...ipv4_header(1400, true), ...new Array(40).fill(0)], // length beyond the frame
        [...broadcast, ...mac, 0x08, 0x06, 0, 1, 8, 0, 6, 4], // truncated ARP
      ];
      const counters = async () => {
        const out = await con.run("ip -s link show dev eth0");
        return { rx: Number(out.match(/RX: bytes.*\n\s*\d+\s+(\d+)/)![1]), drops: Number(out.match(/stack drops:\s*(\d+)/)![1]), out };
      };
      const before = await counters();
      // A few at a time: the NE2000's ring holds only a handful of frames.
      for (let i = 0; i < 25; i++) {
        for (const f of frames) link.inject(Uint8Array.from(f));
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const after = await counters();
      const received = after.rx - before.rx;
      assert.ok(received >= 50, `most hostile frames should reach the stack:\n${after.out}`);
      // Every one that did is counted as a drop under its reason.
      assert.equal(after.drops - before.drops, received, after.out);
      // The NIC pads short frames to 60 bytes, so truncation shows as bad lengths.
      assert.match(after.out, /bad_length \d+/);
      assert.match(after.out, /bad_checksum \d+/);
      assert.equal(await host_ping(host, 3), 3);
    });
  });
}

describe("boot: DHCP from v86's own network", function () {
  this.timeout(120_000);

  it("leases an address and pings the router", async () => {
    const con = await SerialConsole.boot({ nic: "ne2k", v86_fake_network: true });
    try {
      await con.wait_for(/eth0: DHCP lease 192\.168\.86\.\d+\/24 router 192\.168\.86\.1/, 0, 30_000);
      assert.match(await con.run("ip addr show"), /inet 192\.168\.86\.\d+\/24/);
      assert.match(await con.run("ping -c 2 -i 0.2 192.168.86.1", 30_000), /2 packets transmitted, 2 received/);
    } finally {
      await con.close();
    }
  });
});

describe("boot: virtio-net with a 65535-byte MTU", function () {
  this.timeout(120_000);

  it("sizes its receive buffers for the MTU and still answers", async () => {
    const con = await SerialConsole.boot({ nic: "virtio", mtu: 65535, cmdline: `ip=${GUEST}/24 gw=${HOST} dhcp_timeout=0` });
    const host = new HostStack(new V86Link(con.vm.emulator.bus, 65535), { address: `${HOST}/24` });
    try {
      assert.match(await con.run("ip link show dev eth0"), /mtu 65535/);
      assert.match(await con.run("dmesg"), /mtu 65535, rx \d+x65561 B/);
      assert.equal(await host_ping(host, 3), 3);
    } finally {
      host.stop();
      await con.close();
    }
  });
});
