// Packet taps (kernel/net/tap.ts) on the simulated machine: two namespaces
// joined by a veth pair, a ping across, and what taps on either end see.
import { strict as assert } from "assert";
import { dev_change_net_namespace, dev_open, register_netdev } from "../../kernel/net/dev";
import { softnet_data } from "../../kernel/net/napi";
import { napi_init } from "../../kernel/net/napi_handler";
import { NetNamespace } from "../../kernel/net/netns";
import { PacketTap, tap_close, tap_open, tapped_device, TappedFrame, tapping } from "../../kernel/net/tap";
import { Veth } from "../../kernel/net/veth";
import { kthread_run, sched_run_until } from "../../kernel/sched/sched";
import { ping } from "../../net/socket/api";
import { ipv4 } from "../../net/wire/address";
import { ETHERTYPE_ARP, ETHERTYPE_IPV4 } from "../../net/wire/ethernet";
import { ICMP_ECHO_REPLY, ICMP_ECHO_REQUEST } from "../../net/wire/icmpv4";
import { fresh_sim } from "./helpers";

interface Seen {
  device: string;
  direction: string;
  ethertype: number;
  /** The ICMP type, or -1 for anything else. */
  icmp: number;
  length: number;
  caplen: number;
}

/** Everything a tap holds, oldest first. */
function drain(tap: PacketTap): Seen[] {
  const frame = new TappedFrame();
  const seen: Seen[] = [];
  while (tap.next(frame)) {
    const b = frame.buffer,
      o = frame.offset;
    const ethertype = (b[o + 12] << 8) | b[o + 13];
    const icmp = ethertype === ETHERTYPE_IPV4 && frame.caplen > 34 && b[o + 23] === 1 ? b[o + 34] : -1;
    seen.push({ device: frame.device!.name, direction: frame.direction, ethertype, icmp, length: frame.length, caplen: frame.caplen });
  }
  return seen;
}

describe("kernel: packet taps", () => {
  let red: NetNamespace;
  let blue: NetNamespace;
  let a: Veth;
  let b: Veth;
  const taps: PacketTap[] = [];

  /** A tap opened for the test and closed after it. */
  function open(tap: PacketTap): PacketTap {
    taps.push(tap);
    tap_open(tap);
    return tap;
  }

  /** Ping 10.9.0.2 from red `count` times; resolves with the round-trip times (-1 for none). */
  async function pings(count: number): Promise<number[]> {
    const rtts: number[] = [];
    kthread_run("pinger", async () => {
      for (let seq = 1; seq <= count; seq++) rtts.push(await ping(red.context, ipv4("10.9.0.2"), seq, 1_000_000));
    });
    assert.ok(await sched_run_until(() => rtts.length === count, 10e6));
    return rtts;
  }

  beforeEach(() => {
    fresh_sim();
    softnet_data.reset();
    napi_init();
    red = new NetNamespace("red");
    blue = new NetNamespace("blue");
    red.start();
    blue.start();
    [a, b] = Veth.create_pair("vA", "vB");
    register_netdev(a, red);
    register_netdev(b, blue);
    a.iface.add_address(ipv4("10.9.0.1"), 24);
    b.iface.add_address(ipv4("10.9.0.2"), 24);
    dev_open(a, red);
    dev_open(b, blue);
  });

  afterEach(() => {
    for (const tap of taps.splice(0)) tap_close(tap);
  });

  it("sees what a device sends before its driver and what it receives after, each way", async () => {
    const on_a = open(new PacketTap(a, red, null, 65535));
    const on_b = open(new PacketTap(b, blue, null, 65535));
    assert.ok((await pings(1))[0] >= 0, "the ping is answered");
    // ARP request and reply, then the echo request and its reply.
    const arp_then_echo = (device: string, out: string, back: string) => [
      { device, direction: out, ethertype: ETHERTYPE_ARP, icmp: -1 },
      { device, direction: back, ethertype: ETHERTYPE_ARP, icmp: -1 },
      { device, direction: out, ethertype: ETHERTYPE_IPV4, icmp: ICMP_ECHO_REQUEST },
      { device, direction: back, ethertype: ETHERTYPE_IPV4, icmp: ICMP_ECHO_REPLY },
    ];
    const shape = (seen: Seen[]) => seen.map(({ device, direction, ethertype, icmp }) => ({ device, direction, ethertype, icmp }));
    assert.deepEqual(shape(drain(on_a)), arp_then_echo("vA", "out", "in"));
    assert.deepEqual(shape(drain(on_b)), arp_then_echo("vB", "in", "out"));
    assert.equal(on_a.accepted, 4);
    assert.equal(on_a.dropped, 0);
  });

  it("with no device named, sees every device of its namespace and none of another's", async () => {
    const any_blue = open(new PacketTap(null, blue, null, 65535));
    await pings(1);
    const seen = drain(any_blue);
    assert.equal(seen.length, 4);
    assert.ok(seen.every((s) => s.device === "vB"));
  });

  it("keeps only what its filter accepts", async () => {
    const icmp_only = open(new PacketTap(a, red, (buf, off) => ((buf[off + 12] << 8) | buf[off + 13]) === ETHERTYPE_IPV4, 65535));
    await pings(2);
    assert.deepEqual(
      drain(icmp_only).map((s) => s.icmp),
      [ICMP_ECHO_REQUEST, ICMP_ECHO_REPLY, ICMP_ECHO_REQUEST, ICMP_ECHO_REPLY],
    );
    assert.equal(icmp_only.accepted, 4, "ARP never counted");
  });

  it("keeps the snap length of each frame and its length on the wire", async () => {
    const short = open(new PacketTap(a, red, null, 20));
    await pings(1);
    const seen = drain(short);
    assert.ok(seen.every((s) => s.caplen === 20));
    assert.deepEqual(
      seen.map((s) => s.length),
      [42, 42, 98, 98],
      "ARP is 42 bytes, a 56-byte echo 98",
    );
  });

  it("drops and counts what does not fit in its queue, and never holds the network up", async () => {
    const small = open(new PacketTap(a, red, null, 65535, { frames: 3 }));
    const rtts = await pings(4);
    assert.ok(
      rtts.every((rtt) => rtt >= 0),
      "every ping answered",
    );
    assert.equal(small.accepted, 10);
    assert.equal(small.dropped, 7);
    assert.equal(drain(small).length, 3, "the first three stayed");
  });

  it("stops taking a device's frames once the device leaves the tap's namespace", () => {
    const on_a = open(new PacketTap(a, red, null, 65535));
    assert.notEqual(tapped_device(a), a);
    dev_change_net_namespace(a, red, blue);
    assert.equal(on_a.wants(a), false);
    assert.equal(tapped_device(a), a);
  });

  it("hands the stack the device itself once no tap wants its frames", async () => {
    assert.equal(tapping, false);
    assert.equal(tapped_device(a), a);
    const on_b = open(new PacketTap(b, blue, null, 65535));
    assert.equal(tapping, true);
    assert.equal(tapped_device(a), a, "no tap wants vA's frames");
    assert.notEqual(tapped_device(b), b, "vB's go through its stand-in");
    tap_close(on_b);
    assert.equal(tapping, false);
    await pings(1);
    assert.equal(drain(on_b).length, 0, "a closed tap gets nothing");
  });
});
