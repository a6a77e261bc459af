import * as assert from "assert";
import { Simulation, ADDR_A, ADDR_B, Host, pattern } from "./harness";
import { NetContext, ping, tcp_connect, TcpListener, UdpEndpoint } from "../../net/socket/api";
import { PromiseWaiter, PromiseWaiters } from "../../net/socket/waiter";

function context(sim: Simulation, host: Host, waiters: PromiseWaiters): NetContext {
  return {
    route: (addr) => (host.iface.routes_to(addr, 0) ? host.iface : null),
    sockets: host.sockets,
    new_waiter: () => waiters.create(),
    request_poll: () => {},
    now_us: () => sim.now,
  };
}

/** Drive the simulation while `task` runs, waking waiters after every step as a kernel net thread would. */
async function drive<T>(sim: Simulation, waiters: PromiseWaiters, task: Promise<T>): Promise<T> {
  let done = false;
  const result = task.finally(() => {
    done = true;
  });
  for (let i = 0; i < 100_000 && !done; i++) {
    sim.step();
    waiters.wake_all();
    await new Promise((resolve) => setImmediate(resolve));
    const next = sim.next_event();
    if (next > sim.now && next !== Infinity) sim.now = Math.min(next, sim.now + 100_000);
    else if (next === Infinity) sim.now += 100_000;
  }
  return result;
}

/**
 * Checks every condition twice per wake, as the kernel's wait queues may
 * (wake_up checks for the waiter, the waiter checks again when it runs): a
 * condition with side effects would lose what its first evaluation took.
 */
class RecheckingWaiter extends PromiseWaiter {
  wait(cond: () => boolean, timeout_us?: number): Promise<number> {
    return super.wait(() => cond() && cond(), timeout_us);
  }
}

/** Two hosts 2 ms apart, with a UDP client on A and a server on B's port 9000. */
function udp_pair() {
  const sim = new Simulation({ delay_us: 2_000 });
  const waiter = new PromiseWaiters(() => sim.now);
  const a = context(sim, sim.a, waiter),
    b = context(sim, sim.b, waiter);
  return { sim, waiter, a, server: new UdpEndpoint(b, 9000), client: new UdpEndpoint(a) };
}

describe("net: blocking API over promises", () => {
  for (const [name, make] of [
    ["a promise waiter", PromiseWaiter],
    ["a re-checking waiter", RecheckingWaiter],
  ] as const)
    it(`echoes a TCP stream through connect/accept/read/write/close (${name})`, async () => {
      const sim = new Simulation({ delay_us: 500 });
      const waiter = new PromiseWaiters(
        () => sim.now,
        (now) => new make(now),
      );
      const a = context(sim, sim.a, waiter),
        b = context(sim, sim.b, waiter);
      const listener = new TcpListener(b, 7);
      const data = pattern(200_000, 5);
      const server = (async () => {
        const stream = await listener.accept();
        const buf = new Uint8Array(4096);
        for (;;) {
          const n = await stream.read(buf);
          if (n === 0) break;
          await stream.write(buf.subarray(0, n));
        }
        await stream.close();
      })();
      const client = (async () => {
        const stream = await tcp_connect(a, ADDR_B, 7);
        const echoed = new Uint8Array(data.length);
        let got = 0;
        const reader = (async () => {
          const buf = new Uint8Array(8192);
          for (;;) {
            const n = await stream.read(buf);
            if (n === 0) break;
            echoed.set(buf.subarray(0, n), got);
            got += n;
          }
        })();
        await stream.write(data);
        stream.socket.close();
        await reader;
        return echoed.subarray(0, got);
      })();
      const echoed = await drive(
        sim,
        waiter,
        Promise.all([client, server]).then(([c]) => c),
      );
      assert.strictEqual(echoed.length, data.length);
      assert.ok(Buffer.from(echoed).equals(Buffer.from(data)));
    });

  it("sends UDP datagrams and pings", async () => {
    const { sim, waiter, a, server, client } = udp_pair();
    const got = await drive(
      sim,
      waiter,
      (async () => {
        await client.send_to(new Uint8Array([1, 2, 3]), ADDR_B, 9000);
        return (await server.recv_from(new Uint8Array(16)))!;
      })(),
    );
    assert.deepStrictEqual({ length: got.length, addr: got.addr }, { length: 3, addr: ADDR_A });
    const rtt = await drive(sim, waiter, ping(a, ADDR_B, 1, 1_000_000));
    assert.ok(rtt >= 4_000 && rtt < 100_000, `rtt ${rtt}`);
    const lost = await drive(sim, waiter, ping(a, ADDR_B + 5, 2, 1_000_000));
    assert.strictEqual(lost, -1);
  });

  it("takes a burst of datagrams with one wait (wait_readable, then recv_now until -1), and fails once closed", async () => {
    const { sim, waiter, server, client } = udp_pair();
    const buf = new Uint8Array(16);
    assert.strictEqual(server.recv_now(buf), -1, "nothing has come yet");
    const taken = await drive(
      sim,
      waiter,
      (async () => {
        for (let i = 1; i <= 3; i++) await client.send_to(new Uint8Array(i).fill(i), ADDR_B, 9000);
        await server.wait_readable();
        // The three went out in one poll and arrived together: one wake-up takes them all.
        const lengths: number[] = [];
        for (let n; (n = server.recv_now(buf)) >= 0;) lengths.push(n);
        return { lengths, addr: server.socket.last_src_addr, port: server.socket.last_src_port };
      })(),
    );
    assert.deepStrictEqual(taken, { lengths: [1, 2, 3], addr: ADDR_A, port: client.socket.local_port });
    server.close();
    assert.throws(() => server.recv_now(buf), /Network is down/);
  });
});
