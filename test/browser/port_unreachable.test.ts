// The page tells "nothing listens on the guest's port 7" from a silent
// guest by the port unreachable the guest's stack sends back: here napkin's
// own stack sends it, on a simulated link.
import assert from "assert";
import type { Device, Frame } from "../../net/iface/device";
import { UdpSocket } from "../../net/socket/udp";
import { is_port_unreachable } from "../../tools/web/port_unreachable";
import { ADDR_B, Simulation } from "../net/harness";

/** B's device, keeping a copy of every frame B sends. */
function recording(device: Device, sent: Uint8Array[]): Device {
  let pending: Frame | null = null;
  return {
    capabilities: device.capabilities,
    receive: (now) => device.receive(now),
    transmit: (now, length) => (pending = device.transmit(now, length)),
    transmit_commit(now) {
      if (pending) sent.push(pending.buffer.slice(pending.offset, pending.offset + pending.length));
      device.transmit_commit(now);
    },
  };
}

const is_icmp = (frame: Uint8Array) => frame[12] === 0x08 && frame[13] === 0x00 && frame[23] === 1;

describe("web: the guest's port unreachable for the flood", () => {
  it("is recognised for our datagrams to port 7, and only for them", () => {
    const sent_by_b: Uint8Array[] = [];
    const sim = new Simulation({}, false, (device) => recording(device, sent_by_b));
    const flood = sim.a.sockets.add_udp(new UdpSocket());
    flood.bind(40007);
    flood.send_slice(new Uint8Array(18), ADDR_B, 7);
    assert.ok(
      sim.run_until(() => sent_by_b.some(is_icmp)),
      "B sent no ICMP",
    );
    const icmp = sent_by_b.filter(is_icmp);
    assert.ok(icmp.some((frame) => is_port_unreachable(frame, 40007, 7)));
    assert.ok(!icmp.some((frame) => is_port_unreachable(frame, 40008, 7)), "another source port");
    assert.ok(!icmp.some((frame) => is_port_unreachable(frame, 40007, 9)), "another destination port");
    assert.ok(!sent_by_b.some((frame) => !is_icmp(frame) && is_port_unreachable(frame, 40007, 7)), "an ARP frame or anything else");
  });
});
