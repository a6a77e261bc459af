// A device's life in the net core, on the simulated machine: link down and
// up, NAPI disable and enable, moving between namespaces, and deleting a
// namespace under open connections.
import { strict as assert } from "assert";
import { hal } from "../../kernel/hal/current";
import { dmesg_text } from "../../kernel/log";
import { dev_change_net_namespace, dev_close, dev_open, register_netdev } from "../../kernel/net/dev";
import { net_rx_action, napi_disable, napi_enable, napi_schedule, NapiStruct, softnet_data } from "../../kernel/net/napi";
import { napi_init } from "../../kernel/net/napi_handler";
import { NetNamespace } from "../../kernel/net/netns";
import { Veth } from "../../kernel/net/veth";
import { kthread_run, sched_run_for, sched_run_until, thread_list } from "../../kernel/sched/sched";
import { dhcp_start } from "../../kernel/services/dhcp_client";
import { NetError, ping, tcp_connect, TcpListener, TcpStream } from "../../net/socket/api";
import { IcmpSocket } from "../../net/socket/icmp";
import { ICMP_ECHO_REQUEST } from "../../net/wire/icmpv4";
import { proc_read } from "../../kernel/fs/procfs";
import { proc_net_init } from "../../kernel/net/proc_net";
import { namespaces } from "../../kernel/net/namespaces";
import { ipv4, mac } from "../../net/wire/address";
import { icmp_echo_frame } from "../net/frames";
import { FakeNic } from "./fake_nic";
import { fresh_sim } from "./helpers";

const ME = ipv4("10.0.2.15");
const PEER = ipv4("10.0.2.2");
const MY_MAC = mac("02:00:00:00:00:01");
const PEER_MAC = mac("52:54:00:12:35:02");

function machine(): NetNamespace {
  fresh_sim();
  softnet_data.reset();
  napi_init();
  const ns = new NetNamespace("test");
  ns.start();
  return ns;
}

/** Two namespaces joined by a veth pair, 10.9.0.1/24 and 10.9.0.2/24, both ends up. */
function veth_pair(a_ns: NetNamespace, b_ns: NetNamespace): [Veth, Veth] {
  const [a, b] = Veth.create_pair("vA", "vB");
  register_netdev(a, a_ns);
  register_netdev(b, b_ns);
  a.iface.add_address(ipv4("10.9.0.1"), 24);
  b.iface.add_address(ipv4("10.9.0.2"), 24);
  dev_open(a, a_ns);
  dev_open(b, b_ns);
  return [a, b];
}

describe("kernel: a device's life", () => {
  it("napi_disable takes a listed instance off the poll list, so enable and schedule list it once", () => {
    machine();
    let polls = 0;
    const napi = new NapiStruct("x", (n) => {
      polls++;
      n.complete();
      return 0;
    });
    assert.equal(napi_schedule(napi), true);
    napi_disable(napi);
    assert.equal(softnet_data.has_work(), false, "off the list once disabled");
    napi_enable(napi);
    assert.equal(napi_schedule(napi), true);
    net_rx_action();
    assert.equal(polls, 1, "polled once: the list held it once");
    assert.equal(softnet_data.has_work(), false);
  });

  it("a device that is down neither receives, answers nor sends, and up restores all of it", async () => {
    const ns = machine();
    const eth0 = new FakeNic("eth0", MY_MAC);
    register_netdev(eth0, ns);
    eth0.iface.add_address(ME, 24);
    eth0.iface.arp_cache.fill(0, PEER, PEER_MAC);
    const ping = () => icmp_echo_frame(MY_MAC, PEER_MAC, PEER, ME, ICMP_ECHO_REQUEST, 7, 1, new Uint8Array(8));
    eth0.arrive(ping());
    assert.ok(await sched_run_until(() => eth0.sent.length === 1), "up: the echo is answered");

    dev_close(eth0, ns);
    assert.equal(eth0.irq_enabled, false, "the device's interrupts are masked");
    assert.equal(ns.route(PEER), null, "the FIB no longer routes through it");
    eth0.ring.push(ping());
    eth0.napi.schedule_prep(); // a schedule that races the close must not win
    assert.equal(softnet_data.has_work(), false);
    ns.request_poll();
    await sched_run_for(100_000);
    assert.equal(eth0.sent.length, 1, "nothing answered or sent while down");
    assert.equal(eth0.napi.polls, 1);

    dev_open(eth0, ns);
    assert.equal(eth0.ring.length, 0, "what arrived while down was flushed");
    await sched_run_for(1000); // the poll that opening schedules, for output that waited
    assert.equal(eth0.irq_enabled, true);
    eth0.arrive(ping());
    assert.ok(await sched_run_until(() => eth0.sent.length === 2), "up again: answered");
  });

  it("routes a ping from a namespace with a default route and a veth to the veth's peer", async () => {
    const init = machine();
    const blue = new NetNamespace("blue");
    blue.start();
    const eth0 = new FakeNic("eth0", MY_MAC);
    register_netdev(eth0, init);
    eth0.iface.add_address(ME, 24);
    eth0.iface.add_default_gateway(PEER);
    const [va] = veth_pair(init, blue);
    assert.equal(init.route(ipv4("10.9.0.2")), va.iface, "the longer prefix wins over the default route");
    assert.equal(init.route(ipv4("8.8.8.8")), eth0.iface);
    let rtt = -2;
    kthread_run("pinger", async () => {
      rtt = await ping(init.context, ipv4("10.9.0.2"), 1, 1_000_000);
    });
    assert.ok(await sched_run_until(() => rtt !== -2, 5e6));
    assert.ok(rtt >= 0, "the peer answered");
    assert.equal(eth0.sent.length, 0, "nothing went out of eth0");
    assert.ok(va.stats.tx_packets >= 1);
  });

  it("deleting a namespace resets its connections, fails blocked calls with ENETDOWN and ends their threads", async () => {
    const red = machine();
    const blue = new NetNamespace("blue");
    blue.start();
    veth_pair(red, blue);
    const results: string[] = [];
    // A server in blue, blocked reading; a client in red, blocked reading too.
    kthread_run("server", async () => {
      const listener = new TcpListener(blue.context, 7000);
      const stream = await listener.accept();
      try {
        await stream.read(new Uint8Array(16));
        results.push("server: read returned");
      } catch (error) {
        results.push(`server: ${(error as NetError).code}`);
      }
    });
    let client: TcpStream | null = null;
    kthread_run("client", async () => {
      client = await tcp_connect(red.context, ipv4("10.9.0.2"), 7000);
      try {
        await client.read(new Uint8Array(16));
        results.push("client: read returned");
      } catch (error) {
        results.push(`client: ${(error as NetError).code}`);
      }
    });
    assert.ok(await sched_run_until(() => client !== null, 5e6));
    await sched_run_for(10_000);
    assert.deepEqual(results, []);
    blue.stop(); // what netns_del does first, while the veth is still there
    assert.ok(await sched_run_until(() => results.length === 2, 2e6));
    assert.deepEqual(results.sort(), ["client: ECONNRESET", "server: ENETDOWN"]);
    assert.ok(!thread_list().some((t) => t.name === "server" || t.name === "client" || t.name === "netns_poll/blue"));
  });

  it("moving a device drops what it had queued instead of delivering it in the new namespace", async () => {
    const init = machine();
    const red = new NetNamespace("red");
    red.start();
    const eth1 = new FakeNic("eth1", MY_MAC);
    register_netdev(eth1, init);
    eth1.ring.push(icmp_echo_frame(MY_MAC, PEER_MAC, PEER, ME, ICMP_ECHO_REQUEST, 7, 1, new Uint8Array(8)));
    dev_change_net_namespace(eth1, init, red);
    eth1.iface.add_address(ME, 24);
    eth1.iface.arp_cache.fill(0, PEER, PEER_MAC);
    dev_open(eth1, red);
    await sched_run_for(100_000);
    assert.equal(eth1.iface.stats.rx_frames, 0, "the old namespace's frame never reached the new one's stack");
    assert.equal(eth1.up, true);
  });

  it("a device returning to a namespace that has its name is renamed devN, not refused", () => {
    const init = machine();
    const red = new NetNamespace("red");
    const eth0 = new FakeNic("eth0");
    register_netdev(eth0, red);
    register_netdev(new FakeNic("eth0"), init);
    assert.throws(() => dev_change_net_namespace(eth0, red, init), /File exists/);
    dev_change_net_namespace(eth0, red, init, true);
    assert.equal(eth0.name, "dev0");
    assert.equal(eth0.napi.dev_name, "dev0");
    assert.ok(init.devices.includes(eth0));
    assert.ok(!red.devices.includes(eth0));
  });

  it("a DHCP client stops when its device leaves the namespace", async () => {
    const init = machine();
    const red = new NetNamespace("red");
    red.start();
    const eth0 = new FakeNic("eth0", MY_MAC);
    register_netdev(eth0, init);
    dhcp_start(eth0, init, null, 0);
    assert.ok(await sched_run_until(() => eth0.sent.length > 0, 5e6), "it sent a DISCOVER");
    dev_change_net_namespace(eth0, init, red);
    assert.ok(await sched_run_until(() => !thread_list().some((t) => t.name === "dhcp/eth0"), 1e6));
    assert.match(dmesg_text(), /eth0: left its namespace: DHCP client stopped/);
    assert.equal(init.sockets.udp.length, 0, "its socket is gone");
  });

  it("netns_poll is not woken for a deadline later than the one it sleeps on", async () => {
    const ns = machine();
    const eth0 = new FakeNic("eth0");
    register_netdev(eth0, ns);
    await sched_run_for(1000);
    const t0 = hal.now_us();
    if (eth0.poll_deadline.publish(t0 + 10_000)) ns.deadline_changed();
    await sched_run_for(1000);
    const poller = ns.poll_thread()!;
    const switches = poller.switches;
    if (eth0.poll_deadline.publish(t0 + 50_000)) ns.deadline_changed();
    await sched_run_for(1000);
    assert.equal(poller.switches, switches, "a later deadline does not wake it");
    if (eth0.poll_deadline.publish(t0 + 5_000)) ns.deadline_changed();
    await sched_run_for(1000);
    assert.ok(poller.switches > switches, "an earlier one does");
  });

  it("poll_napi asks to be polled again when the stack's deadline is already due", () => {
    const ns = machine();
    const eth0 = new FakeNic("eth0", MY_MAC);
    register_netdev(eth0, ns);
    eth0.iface.add_address(ME, 24);
    eth0.iface.arp_cache.fill(0, PEER, PEER_MAC);
    eth0.poll_napi(64);
    assert.equal(eth0.poll_again, false, "idle: nothing due");
    // More queued output than one poll_egress may send (max_burst_size 8).
    const socket = ns.sockets.add_icmp(new IcmpSocket(32, 32 * 128));
    socket.bind(1);
    for (let seq = 0; seq < 12; seq++) socket.send_echo(PEER, seq, new Uint8Array(16));
    eth0.poll_napi(64);
    assert.equal(eth0.sent.length, 8);
    assert.equal(eth0.poll_again, true, "the rest is due now: poll again without netns_poll");
    eth0.poll_napi(64);
    assert.equal(eth0.sent.length, 12);
    assert.equal(eth0.poll_again, false);
  });

  it("softnet_stat counts a drop only when a backlog is full, not when the peer is down, and shows the backlog", () => {
    const init = machine();
    const blue = new NetNamespace("blue");
    const [va, vb] = veth_pair(init, blue);
    dev_close(vb, blue);
    const frame = new Uint8Array(60);
    const send = () => {
      const f = va.transmit(0, frame.length);
      if (f) va.transmit_commit(0);
    };
    send();
    assert.equal(va.stats.tx_dropped, 1);
    assert.equal(softnet_data.stat.dropped, 0, "a down peer is the device's drop, not softnet's");
    dev_open(vb, blue);
    napi_disable(vb.napi); // nobody drains the backlog
    for (let i = 0; i < vb.backlog.max_packets + 3; i++) send();
    assert.equal(softnet_data.stat.dropped, 3);
    proc_net_init();
    namespaces.push(blue); // /proc/net/softnet_stat sums the backlogs of the namespaces there are
    const columns = proc_read("net/softnet_stat")!
      .trim()
      .split(" ")
      .map((hex) => parseInt(hex, 16));
    assert.equal(columns[1], 3, "dropped");
    assert.equal(columns[11], vb.backlog.max_packets, "backlog length");
    namespaces.splice(namespaces.indexOf(blue), 1);
  });
});
