// A receive path that cannot die, on the simulated machine: a packet whose
// processing throws is dropped and counted and the ones behind it go on;
// the reports are rate-limited; napi_handler and netns_poll, should they
// die, are started again and the restart is reported.
import { strict as assert } from "assert";
import { hal } from "../../kernel/hal/current";
import type { SimHal } from "../../kernel/hal/sim";
import { dmesg_text } from "../../kernel/log";
import { register_netdev } from "../../kernel/net/dev";
import { softnet_data } from "../../kernel/net/napi";
import { napi_handler_restarts, napi_init } from "../../kernel/net/napi_handler";
import { NetNamespace } from "../../kernel/net/netns";
import { netstat_text } from "../../kernel/net/proc_netstat";
import { current_thread, sched_run_for, sched_run_until, thread_list } from "../../kernel/sched/sched";
import { UdpSocket } from "../../net/socket/udp";
import { ipv4 } from "../../net/wire/address";
import { udp_frame } from "../net/frames";
import { FakeNic } from "./fake_nic";
import { fresh_sim } from "./helpers";

const ME = ipv4("10.0.2.15"),
  PEER = ipv4("10.0.2.2");
const MY_MAC = 0x020000000001,
  PEER_MAC = 0x525400123502;
const BOMB = 0xbb;

/** A UDP socket on port 9 that blows up on a datagram starting with BOMB, as a bug (or no memory) would. */
class BombSocket extends UdpSocket {
  received = 0;
  /** What to throw; null throws nothing. */
  bomb: (() => Error) | null = () => new Error("boom");

  process(src: number, src_port: number, buffer: Uint8Array, offset: number, length: number): boolean {
    if (buffer[offset] === BOMB && this.bomb !== null) throw this.bomb();
    this.received++;
    return super.process(src, src_port, buffer, offset, length);
  }
}

function datagram(first_byte: number): Uint8Array {
  return udp_frame(MY_MAC, PEER_MAC, PEER, ME, 4000, 9, new Uint8Array([first_byte, 0, 0, 0]));
}

function machine(): { sim: SimHal; ns: NetNamespace; nic: FakeNic; socket: BombSocket } {
  const sim = fresh_sim();
  softnet_data.reset();
  napi_init();
  const ns = new NetNamespace("test");
  ns.start();
  const nic = new FakeNic("eth0", MY_MAC);
  register_netdev(nic, ns);
  nic.iface.add_address(ME, 24);
  nic.iface.arp_cache.fill(0, PEER, PEER_MAC);
  const socket = new BombSocket(64, 64 * 64);
  socket.bind(9);
  ns.sockets.add_udp(socket);
  return { sim, ns, nic, socket };
}

/** Run until the NIC's ring is empty and NAPI handed its interrupt back. */
async function drained(nic: FakeNic): Promise<void> {
  assert.ok(
    await sched_run_until(() => nic.ring.length === 0 && nic.irq_enabled && !softnet_data.has_work(), 10e6),
    "the receive path stalled",
  );
}

describe("kernel: a receive path that cannot die", () => {
  it("drops the packet whose processing threw, counts it, and takes the ones behind it", async () => {
    const { ns, nic, socket } = machine();
    nic.arrive(datagram(1), datagram(BOMB), datagram(2), datagram(3), datagram(BOMB), datagram(4));
    await drained(nic);
    assert.equal(socket.received, 4, "every other datagram arrived");
    assert.equal(softnet_data.stat.poll_faults, 2);
    assert.equal(nic.napi.faults, 2);
    assert.match(dmesg_text(), /Oops: NAPI poll of eth0 threw; the frame it held is dropped .*\n.*Error: boom/);
    assert.match(netstat_text(ns), /^Softnet: PollFaults NapiHandlerRestarts NetnsPollRestarts\nSoftnet: 2 0 0$/m);
    // And the device answers as before.
    nic.arrive(datagram(5));
    await drained(nic);
    assert.equal(socket.received, 5);
  });

  it("reports a flood of faults a few at a time, and says how many it left out", async () => {
    const { sim, nic, socket } = machine();
    nic.arrive(...Array.from({ length: 50 }, () => datagram(BOMB)));
    await drained(nic);
    assert.equal(softnet_data.stat.poll_faults, 50);
    assert.equal((dmesg_text().match(/Oops: NAPI poll/g) ?? []).length, 10, "ten reports in five seconds");
    sim.advance(5_000_000);
    nic.arrive(datagram(BOMB), datagram(7));
    await drained(nic);
    assert.match(dmesg_text(), /\(40 similar messages suppressed\)/);
    assert.equal(socket.received, 1);
  });

  it("starts napi_handler again if it dies, and the packets behind go on", async () => {
    const { nic, socket } = machine();
    // Only the thread's rounds die (as a thread the watchdog interrupts would); inline rounds drop the packet.
    socket.bomb = () => new Error(current_thread()?.name === "napi_handler" ? "interrupted" : "boom");
    // Enough work that the softirq outlives its inline budget and napi_handler takes it over.
    const frames = Array.from({ length: 64 * 12 }, (_, i) => datagram(i === 64 * 11 ? BOMB : 1));
    nic.arrive(...frames);
    await drained(nic);
    assert.equal(napi_handler_restarts(), 1);
    assert.match(dmesg_text(), /Oops: napi_handler died; a new one takes over the receive path \(restart 1\)/);
    assert.equal(thread_list().filter((t) => t.name === "napi_handler").length, 1);
    assert.equal(socket.received, frames.length - 1);
    nic.arrive(datagram(2));
    await drained(nic);
    assert.equal(socket.received, frames.length);
  });

  it("starts a namespace's netns_poll again if it dies, and its timers fire", async () => {
    const { ns, nic } = machine();
    const record = ns.lateness.record;
    ns.lateness.record = () => {
      ns.lateness.record = record;
      throw new Error("boom");
    };
    const polls = () => nic.napi.polls;
    const before = polls();
    // A deadline the stack published: netns_poll wakes for it, and dies there.
    nic.poll_deadline.publish(hal.now_us() + 1000);
    ns.deadline_changed();
    await sched_run_for(10_000);
    assert.equal(ns.poll_restarts, 1);
    assert.match(dmesg_text(), /Oops: netns_poll\/test died; a new one takes over its timers \(restart 1\)/);
    const thread = ns.poll_thread();
    assert.ok(thread !== null && thread.state !== "dead");
    // The new thread keeps time: the next deadline gets its poll.
    nic.poll_deadline.publish(hal.now_us() + 1000);
    ns.deadline_changed();
    await sched_run_for(10_000);
    assert.ok(polls() > before, "the device was polled for its deadline");
  });
});
