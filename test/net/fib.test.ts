// One FIB per namespace: longest-prefix match over every interface's routes,
// a local table delivered through the loopback, down interfaces skipped, and
// an interface that sends a namespace's packet only when the FIB chose it.
import * as assert from "assert";
import { Fib } from "../../net/iface/fib";
import { Interface } from "../../net/iface/interface";
import { SocketSet } from "../../net/socket/socket_set";
import { IcmpSocket } from "../../net/socket/icmp";
import { ipv4, mac } from "../../net/wire/address";
import { ScriptDevice } from "./frames";

/** A namespace's worth of interfaces: lo, eth0 with a default route, and a veth end vA. */
function namespace() {
  const fib = new Fib<Interface>();
  const lo = new Interface({ hardware_addr: 0, noarp: true, addresses: [{ address: ipv4("127.0.0.1"), prefix_len: 8 }] });
  const eth0 = new Interface({ hardware_addr: mac("52:54:00:12:34:56"), addresses: [{ address: ipv4("10.0.2.15"), prefix_len: 24 }] });
  const va = new Interface({ hardware_addr: mac("02:00:00:00:00:0a"), addresses: [{ address: ipv4("10.9.0.1"), prefix_len: 24 }] });
  for (const iface of [lo, eth0, va]) iface.join_fib(fib);
  fib.loopback = lo;
  eth0.add_default_gateway(ipv4("10.0.2.2"));
  return { fib, lo, eth0, va };
}

describe("net: the FIB", () => {
  it("picks the longest matching prefix across interfaces, with next hop and source", () => {
    const { fib, eth0, va } = namespace();
    const peer = fib.lookup(ipv4("10.9.0.2"))!;
    assert.deepStrictEqual([peer.iface, peer.next_hop, peer.src], [va, ipv4("10.9.0.2"), ipv4("10.9.0.1")]);
    const far = fib.lookup(ipv4("8.8.8.8"))!;
    assert.deepStrictEqual([far.iface, far.next_hop, far.src], [eth0, ipv4("10.0.2.2"), ipv4("10.0.2.15")]);
    fib.add(ipv4("10.9.5.0"), 24, ipv4("10.0.2.9"), eth0);
    assert.strictEqual(fib.lookup(ipv4("10.9.5.1"))!.iface, eth0, "/24 beats nothing, and is longer than the default");
  });

  it("delivers to our own addresses through the loopback, on any interface", () => {
    const { fib, lo, eth0 } = namespace();
    for (const own of ["10.0.2.15", "10.9.0.1", "127.0.0.1"]) {
      const route = fib.lookup(ipv4(own))!;
      assert.deepStrictEqual([route.iface, route.local, route.src], [lo, true, ipv4(own)], own);
    }
    assert.strictEqual(fib.lookup(ipv4("127.0.0.9"))!.iface, lo, "127/8 is the loopback's connected route");
    lo.up = false;
    assert.strictEqual(fib.lookup(ipv4("10.0.2.15")), null, "no loopback up: no local delivery, as in Linux");
    assert.ok(eth0.fib.is_local(ipv4("10.0.2.15")));
  });

  it("skips a down interface: its routes and its addresses", () => {
    const { fib, eth0, va } = namespace();
    eth0.up = false;
    assert.strictEqual(fib.lookup(ipv4("8.8.8.8")), null);
    assert.strictEqual(fib.is_local(ipv4("10.0.2.15")), false);
    assert.strictEqual(fib.lookup(ipv4("10.9.0.2"))!.iface, va);
  });

  it("drops an interface's routes when it leaves, and its connected routes with its addresses", () => {
    const { fib, eth0, va } = namespace();
    va.remove_address(ipv4("10.9.0.1"));
    assert.strictEqual(fib.lookup(ipv4("10.9.0.2"))!.iface, eth0, "back to the default route");
    eth0.join_fib(new Fib<Interface>());
    assert.strictEqual(fib.lookup(ipv4("8.8.8.8")), null);
    assert.ok(!fib.list().some((r) => r.iface === eth0));
  });

  it("sends a namespace socket's packet only from the interface the FIB chose", () => {
    const { eth0, va } = namespace();
    const sockets = new SocketSet();
    const ping = sockets.add_icmp(new IcmpSocket());
    ping.bind(7);
    ping.send_echo(ipv4("10.9.0.2"), 1, new Uint8Array(8));
    const eth0_dev = new ScriptDevice();
    const va_dev = new ScriptDevice();
    va.arp_cache.fill(0, ipv4("10.9.0.2"), mac("02:00:00:00:00:0b"));
    // eth0 is polled first, and its default route matches everything: it must still leave the packet alone.
    assert.strictEqual(eth0.poll_at(0, sockets), null);
    eth0.poll_egress(0, eth0_dev, sockets);
    assert.strictEqual(eth0_dev.sent.length, 0);
    assert.strictEqual(va.poll_at(0, sockets), 0);
    va.poll_egress(0, va_dev, sockets);
    assert.strictEqual(va_dev.sent.length, 1);
  });

  it("gives a connection the source address of the interface the FIB chose", () => {
    const { fib, va } = namespace();
    assert.strictEqual(va.source_address_for(ipv4("10.9.0.77")), ipv4("10.9.0.1"));
    assert.strictEqual(fib.lookup(ipv4("1.2.3.4"))!.src, ipv4("10.0.2.15"));
  });
});
