// New sockets under memory pressure and the namespace's socket cap: a SYN
// is dropped and counted, an application's new socket fails with Linux's
// errno; what exists goes on.
import * as assert from "assert";
import { set_memory_pressure_check } from "../../net/socket/memory_pressure";
import { NetContext, NetError, tcp_connect, TcpListener, UdpEndpoint } from "../../net/socket/api";
import { TcpSocket, TcpState } from "../../net/socket/tcp";
import { PromiseWaiters } from "../../net/socket/waiter";
import { ADDR_B, Host, Simulation } from "./harness";

function context(sim: Simulation, host: Host): NetContext {
  const waiters = new PromiseWaiters(() => sim.now);
  return {
    route: (addr) => (host.iface.routes_to(addr, 0) ? host.iface : null),
    sockets: host.sockets,
    new_waiter: () => waiters.create(),
    request_poll: () => {},
    now_us: () => sim.now,
  };
}

async function refusal(make: () => unknown): Promise<string> {
  try {
    await make();
  } catch (error) {
    return error instanceof NetError ? error.code : String(error);
  }
  return "admitted";
}

describe("net: admission of new sockets", () => {
  let short = false;
  let asked = 0;
  beforeEach(() => {
    short = false;
    asked = 0;
    set_memory_pressure_check(() => {
      asked++;
      return short;
    });
  });
  afterEach(() => set_memory_pressure_check(() => false));

  it("drops SYNs while memory is short, and lets the connections it has go on", () => {
    const sim = new Simulation();
    const listener = sim.b.sockets.add_tcp(new TcpSocket());
    listener.listen(80, 4);
    const first = sim.a.sockets.add_tcp(new TcpSocket());
    sim.a.iface.tcp_connect(sim.now, first, ADDR_B, 80, 40000);
    let server: TcpSocket | null = null;
    assert.ok(sim.run_until(() => (server = server ?? listener.accept()) !== null));

    short = true;
    const second = sim.a.sockets.add_tcp(new TcpSocket());
    sim.a.iface.tcp_connect(sim.now, second, ADDR_B, 80, 40001);
    sim.run_until(() => false, 500_000);
    assert.strictEqual(second.state, TcpState.SynSent, "no answer while memory is short");
    assert.ok(sim.b.sockets.tcp_ext.memory_refused >= 1);
    assert.strictEqual(sim.b.sockets.tcp_ext.listen_drops, sim.b.sockets.tcp_ext.memory_refused);
    // The connection made before goes on.
    first.send_slice(new Uint8Array([1, 2, 3]));
    const got = new Uint8Array(3);
    assert.ok(sim.run_until(() => server!.recv_slice(got) === 3, 1e6));

    short = false;
    assert.ok(
      sim.run_until(() => second.state === TcpState.Established, 10e6),
      "the SYN sent again gets in",
    );
  });

  it("does not complete a handshake begun before memory ran short until it is no longer short", () => {
    const sim = new Simulation({ delay_us: 100 });
    const listener = sim.b.sockets.add_tcp(new TcpSocket());
    listener.listen(80, 4);
    const client = sim.a.sockets.add_tcp(new TcpSocket());
    sim.a.iface.tcp_connect(sim.now, client, ADDR_B, 80, 40000);
    // The client has the SYN-ACK; its last ACK is on the wire, and B is half open.
    assert.ok(sim.run_until(() => client.state === TcpState.Established));
    const half_open = () => sim.b.sockets.tcp.filter((s) => s.state === TcpState.SynReceived).length;
    assert.strictEqual(half_open(), 1);
    short = true;
    sim.run_until(() => false, 500_000);
    assert.strictEqual(half_open(), 1, "the last ACK is dropped while memory is short");
    assert.strictEqual(listener.accept(), null, "nothing for the application to take on");
    assert.ok(sim.b.sockets.tcp_ext.memory_refused >= 1);
    short = false;
    client.send_slice(new Uint8Array([7]));
    let server: TcpSocket | null = null;
    assert.ok(
      sim.run_until(() => (server = server ?? listener.accept()) !== null, 10e6),
      "the peer's next segment completes it",
    );
  });

  it("fails new sockets of an application with ENOBUFS while memory is short, and ENFILE at the cap", async () => {
    const sim = new Simulation();
    const a = context(sim, sim.a);
    short = true;
    assert.strictEqual(await refusal(() => tcp_connect(a, ADDR_B, 80)), "ENOBUFS");
    assert.strictEqual(await refusal(() => new TcpListener(a, 80)), "ENOBUFS");
    assert.strictEqual(await refusal(() => new UdpEndpoint(a, 53)), "ENOBUFS");
    assert.strictEqual(sim.a.sockets.tcp.length + sim.a.sockets.udp.length, 0, "nothing was made");
    assert.strictEqual(sim.a.sockets.tcp_ext.memory_refused, 2);
    short = false;
    sim.a.sockets.tcp_max_sockets = 1;
    assert.strictEqual(await refusal(() => new TcpListener(a, 80)), "admitted");
    assert.strictEqual(await refusal(() => new TcpListener(a, 81)), "ENFILE");
    assert.strictEqual(sim.a.sockets.tcp_ext.socket_cap_refused, 1);
    assert.ok(asked > 0);
  });
});
