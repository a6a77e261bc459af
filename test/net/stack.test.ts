import * as assert from "assert";
import { Simulation, ADDR_A, ADDR_B } from "./harness";
import { IcmpSocket } from "../../net/socket/icmp";
import { UdpSocket } from "../../net/socket/udp";
import { set_memory_pressure_check } from "../../net/socket/memory_pressure";
import { TcpConfig, TcpSocket, TcpState } from "../../net/socket/tcp";
import { Drop } from "../../net/wire/error";

describe("net: two stacks on a memory link", () => {
  it("resolves ARP and answers ping", () => {
    const sim = new Simulation();
    const ping = sim.a.sockets.add_icmp(new IcmpSocket());
    ping.bind(0x1234);
    ping.send_echo(ADDR_B, 7, new Uint8Array([1, 2, 3, 4]));
    assert.ok(sim.run_until(() => ping.can_recv(), 5_000_000));
    const out = new Uint8Array(16);
    assert.strictEqual(ping.recv_echo(out), 4);
    assert.strictEqual(ping.last_src_addr, ADDR_B);
    assert.strictEqual(ping.last_seq_no, 7);
    assert.deepStrictEqual(Array.from(out.subarray(0, 4)), [1, 2, 3, 4]);
    assert.ok(sim.b.iface.arp_cache.lookup(ADDR_A) >= 0, "B learned A from the request");
  });

  it("delivers UDP datagrams and answers closed ports with ICMP", () => {
    const sim = new Simulation();
    const server = sim.b.sockets.add_udp(new UdpSocket());
    server.bind(5353);
    const client = sim.a.sockets.add_udp(new UdpSocket());
    client.bind(4000);
    client.send_slice(new TextEncoder().encode("hello"), ADDR_B, 5353);
    client.send_slice(new Uint8Array([9]), ADDR_B, 9999); // closed port
    assert.ok(sim.run_until(() => server.can_recv(), 5_000_000));
    const buf = new Uint8Array(64);
    const n = server.recv_slice(buf);
    assert.strictEqual(new TextDecoder().decode(buf.subarray(0, n)), "hello");
    assert.strictEqual(server.last_src_addr, ADDR_A);
    assert.strictEqual(server.last_src_port, 4000);
    sim.run_until(() => sim.a.iface.stats.rx_dropped[Drop.UnsupportedProtocol] > 0, 1_000_000);
    assert.strictEqual(sim.b.iface.stats.rx_dropped[Drop.NoSocket], 1);
    assert.strictEqual(sim.a.iface.stats.rx_dropped[Drop.UnsupportedProtocol], 1, "A got the port unreachable");
  });

  it("connects, transfers both ways and closes TCP", () => {
    const sim = new Simulation();
    const listener = sim.b.sockets.add_tcp(new TcpSocket());
    listener.listen(80, 4);
    const client = sim.a.sockets.add_tcp(new TcpSocket());
    sim.a.iface.tcp_connect(sim.now, client, ADDR_B, 80, 40000);
    let server: TcpSocket | null = null;
    assert.ok(sim.run_until(() => (server = server ?? listener.accept()) !== null && client.is_established()));
    const srv = server as unknown as TcpSocket;
    client.send_slice(new TextEncoder().encode("GET /"));
    const buf = new Uint8Array(100);
    let got = "";
    assert.ok(
      sim.run_until(() => {
        const n = srv.recv_slice(buf);
        got += new TextDecoder().decode(buf.subarray(0, n));
        return got === "GET /";
      }),
    );
    srv.send_slice(new TextEncoder().encode("OK"));
    srv.close();
    let reply = "";
    assert.ok(
      sim.run_until(() => {
        const n = client.recv_slice(buf);
        reply += new TextDecoder().decode(buf.subarray(0, n));
        return client.at_eof();
      }),
    );
    assert.strictEqual(reply, "OK");
    assert.strictEqual(client.state, TcpState.CloseWait);
    client.close();
    assert.ok(sim.run_until(() => client.state === TcpState.Closed && srv.state === TcpState.TimeWait));
    assert.ok(sim.run_until(() => srv.state === TcpState.Closed));
  });

  it("grows a bulk sender's send buffer with its congestion window, to 256 KiB at most, unless its size was chosen or memory is short", () => {
    /**
     * The largest send buffer a sender that keeps its buffer full had while
     * 2 MiB went from A to B; `short`: memory is short once it is connected
     * (before, a new connection would be refused).
     */
    const largest_tx_buffer = (config: Partial<TcpConfig>, short = false): number => {
      let connected = false;
      set_memory_pressure_check(() => short && connected);
      try {
        const sim = new Simulation();
        const listener = sim.b.sockets.add_tcp(new TcpSocket({ rx_buffer_size: 1024 * 1024 }));
        listener.listen(9, 1);
        const client = sim.a.sockets.add_tcp(new TcpSocket(config));
        sim.a.iface.tcp_connect(sim.now, client, ADDR_B, 9, 40000);
        const data = new Uint8Array(64 * 1024);
        const sink = new Uint8Array(64 * 1024);
        let server: TcpSocket | null = null;
        let sent = 0,
          got = 0,
          largest = 0;
        const done = sim.run_until(
          () => got === 2 * 1024 * 1024,
          60_000_000,
          () => {
            connected = client.is_established();
            if (connected && sent < 2 * 1024 * 1024) sent += client.send_slice(data, 0, Math.min(data.length, 2 * 1024 * 1024 - sent));
            if (client.tx.capacity > largest) largest = client.tx.capacity;
            server = server ?? listener.accept();
            if (server !== null) got += server.recv_slice(sink);
          },
        );
        assert.ok(done, `the transfer stalled at ${got} bytes`);
        return largest;
      } finally {
        set_memory_pressure_check(() => false);
      }
    };
    assert.strictEqual(largest_tx_buffer({}), 256 * 1024, "twice the window, as it opened, up to the most");
    assert.strictEqual(largest_tx_buffer({ tx_buffer_size: 32 * 1024 }), 32 * 1024, "a size the application chose stays");
    assert.strictEqual(largest_tx_buffer({}, true), 64 * 1024, "memory is short: the default stays");
  });

  it("refuses a connection to a closed port with RST", () => {
    const sim = new Simulation();
    const client = sim.a.sockets.add_tcp(new TcpSocket());
    sim.a.iface.tcp_connect(sim.now, client, ADDR_B, 81, 40001);
    assert.ok(sim.run_until(() => client.state === TcpState.Closed, 5_000_000));
    assert.strictEqual(client.error, "refused");
  });
});
