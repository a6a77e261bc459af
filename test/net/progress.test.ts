// TCP and ICMP output that must not wait for an unrelated event: a window
// update after a read (of a zero window, or of one the peer had nearly used up), the RST of an abort, and a datagram larger than the
// link (which must be dropped, not retried forever).
import * as assert from "assert";
import { Interface } from "../../net/iface/interface";
import { NetContext, TcpStream } from "../../net/socket/api";
import { IcmpSocket } from "../../net/socket/icmp";
import { SocketSet } from "../../net/socket/socket_set";
import { TcpSocket, TcpState } from "../../net/socket/tcp";
import { PromiseWaiters } from "../../net/socket/waiter";
import { ipv4, mac } from "../../net/wire/address";
import { ScriptDevice } from "./frames";
import { ADDR_B, Host, pattern, Simulation } from "./harness";

/** A context whose request_poll only counts: the test polls by hand. */
function counting_context(sim: Simulation, host: Host): NetContext & { polls_requested: number } {
  const waiters = new PromiseWaiters(() => sim.now);
  const ctx = {
    polls_requested: 0,
    route: () => host.iface,
    sockets: host.sockets,
    new_waiter: () => waiters.create(),
    request_poll: () => ctx.polls_requested++,
    now_us: () => sim.now,
  };
  return ctx;
}

/** A connected pair: client on A, server on B, with a small receive buffer on B. */
function connected(rx_buffer_size: number): { sim: Simulation; client: TcpSocket; server: TcpSocket } {
  const sim = new Simulation({ delay_us: 100 });
  const listener = sim.b.sockets.add_tcp(new TcpSocket({ rx_buffer_size }));
  listener.listen(80, 1);
  const client = sim.a.sockets.add_tcp(new TcpSocket());
  sim.a.iface.tcp_connect(sim.now, client, ADDR_B, 80, 40000);
  let server: TcpSocket | null = null;
  assert.ok(sim.run_until(() => (server = server ?? listener.accept()) !== null));
  return { sim, client, server: server! };
}

describe("net: output that must not wait", () => {
  it("a read that opens a zero window asks for a poll, and that poll sends the window update", async () => {
    const { sim, client, server } = connected(4096);
    client.send_slice(pattern(16384, 3));
    assert.ok(
      sim.run_until(() => server.rx.window() === 0),
      "the sender filled the window",
    );
    const ctx = counting_context(sim, sim.b);
    const stream = new TcpStream(ctx, server);
    const frames_before = sim.link.b.stats.sent;
    const n = await stream.read(new Uint8Array(4096));
    assert.strictEqual(n, 4096);
    assert.strictEqual(ctx.polls_requested, 1, "the read asked for a poll");
    sim.b.iface.poll_egress(sim.now, sim.b.device, sim.b.sockets);
    assert.strictEqual(sim.link.b.stats.sent, frames_before + 1, "one poll, no timer: the update went out");
  });

  it("a read that frees a window one segment had nearly filled sends the update at once, not at the delayed-ACK timer", async () => {
    // One full-sized segment into a small buffer: a single segment waits
    // for the delayed-ACK timer, but the peer may send only 588 more bytes
    // until it hears that the read freed the buffer again.
    const { sim, client, server } = connected(2048);
    client.send_slice(pattern(1460, 5));
    assert.ok(sim.run_until(() => server.rx.window() === 2048 - 1460));
    const ctx = counting_context(sim, sim.b);
    const stream = new TcpStream(ctx, server);
    const frames_before = sim.link.b.stats.sent;
    assert.strictEqual(await stream.read(new Uint8Array(2048)), 1460);
    assert.strictEqual(ctx.polls_requested, 1, "the read asked for a poll");
    sim.b.iface.poll_egress(sim.now, sim.b.device, sim.b.sockets);
    assert.strictEqual(sim.link.b.stats.sent, frames_before + 1, "the window update went out with no timer");
  });

  it("abort asks for a poll, and that poll sends the RST", () => {
    const { sim, server } = connected(4096);
    const ctx = counting_context(sim, sim.b);
    const stream = new TcpStream(ctx, server);
    stream.abort();
    assert.strictEqual(ctx.polls_requested, 1);
    sim.b.iface.poll_egress(sim.now, sim.b.device, sim.b.sockets);
    assert.strictEqual(server.state, TcpState.Closed, "the RST went out");
  });

  it("drops a datagram larger than the link instead of retrying it at once forever", () => {
    const iface = new Interface({ hardware_addr: mac("02:00:00:00:00:01"), addresses: [{ address: ipv4("10.1.0.1"), prefix_len: 24 }] });
    iface.arp_cache.fill(0, ipv4("10.1.0.2"), mac("02:00:00:00:00:02"));
    const device = new ScriptDevice({ max_transmission_unit: 14 + 576 });
    const sockets = new SocketSet();
    const ping = sockets.add_icmp(new IcmpSocket(4, 8192));
    ping.bind(1);
    ping.send_echo(ipv4("10.1.0.2"), 1, new Uint8Array(1000));
    iface.poll_egress(0, device, sockets);
    assert.strictEqual(device.sent.length, 0);
    assert.strictEqual(iface.stats.tx_too_big, 1);
    assert.strictEqual(iface.egress_blocked, false, 'not "device full"');
    assert.strictEqual(iface.poll_at(0, sockets), null, "nothing left to do: no poll at once, again and again");
  });
});
