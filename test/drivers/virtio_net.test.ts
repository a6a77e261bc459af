import { strict as assert } from "assert";
import { irq_descs } from "../../kernel/irq/irq";
import { dmesg_text } from "../../kernel/log";
import { net_rx_action, softnet_data } from "../../kernel/net/napi";
import { NAPI_STATE_SCHED } from "../../kernel/net/napi_state";
import { register_netdev } from "../../kernel/net/dev";
import { NetNamespace } from "../../kernel/net/netns";
import { MmioRegion } from "../../drivers/net/virtio/regs";
import { VirtioPciTransport } from "../../drivers/net/virtio/pci_transport";
import { Features } from "../../drivers/net/virtio/virtio_config";
import { RX_DMA_BUDGET, RX_QUEUE, TX_QUEUE, VirtioNet } from "../../drivers/net/virtio/virtio_net";
import { Virtqueue, VIRTQ_AVAIL_F_NO_INTERRUPT } from "../../drivers/net/virtio/virtqueue";
import { FakeOptions, IRQ, MEM0, MEM1, VirtioMachine } from "./virtio_fake";
import { fresh_machine, run_idle } from "../kernel/helpers";

function machine(options: Partial<FakeOptions> = {}): VirtioMachine {
  const sim = fresh_machine(new VirtioMachine(options));
  softnet_data.reset();
  return sim;
}

function probe(sim: VirtioMachine): VirtioNet {
  const dev = VirtioNet.probe(sim.pci(), "eth0");
  assert.ok(dev, "probe failed:\n" + dmesg_text());
  register_netdev(dev, new NetNamespace("test"));
  return dev;
}

/** A frame of `length` bytes to the device's MAC with a recognisable body. */
function frame(length: number, seed: number): Uint8Array {
  const bytes = new Uint8Array(length);
  bytes.set([0x52, 0x54, 0x00, 0x12, 0x34, 0x56, 0x02, 0, 0, 0, 0, 1, 0x88, 0xb5]);
  for (let i = 14; i < length; i++) bytes[i] = (i * 7 + seed) & 0xff;
  return bytes;
}

function received(dev: VirtioNet): Uint8Array | null {
  const f = dev.receive(0);
  return f ? f.buffer.slice(f.offset, f.offset + f.length) : null;
}

/**
 * What the NAPI poll does last, with no budget for frames: the buffers the
 * stack is done with go back to the device once more than a batch waits.
 */
function end_poll(dev: VirtioNet): void {
  dev.poll_napi(0);
}

/** Buffers that wait for more before they go back: half the NAPI weight (64), an eighth of the ring (256). */
const REFILL_AFTER = 32;

/** `count` frames through the device and the driver, each checked as it comes out. */
function pass_frames(sim: VirtioMachine, dev: VirtioNet, count: number): void {
  for (let i = 0; i < count; i++) {
    const f = frame(60 + i, 100 + i);
    assert.ok(sim.dev.deliver(f));
    assert.deepEqual(received(dev), f);
  }
}

describe("drivers: virtio-net (modern PCI, fake device in I/O BARs)", () => {
  it("negotiates VERSION_1, MAC, MTU and STATUS only, and reaches DRIVER_OK", () => {
    const sim = machine();
    const dev = probe(sim);
    const fake = sim.dev;
    // Offered also CSUM, MRG_RXBUF and EVENT_IDX: none of them may be accepted.
    assert.deepEqual(fake.driver_features, [(1 << 3) | (1 << 5) | (1 << 16), 1]);
    assert.equal(dev.features.toString(), "0x0000000100010028");
    assert.equal(fake.status, 1 | 2 | 8 | 4); // ACKNOWLEDGE | DRIVER | FEATURES_OK | DRIVER_OK
    assert.equal(fake.command() & 0x5, 0x5, "I/O decoding and bus mastering on");
    assert.equal(dev.mac, 0x525400123456);
    assert.equal(dev.mtu, 1500);
    assert.equal(dev.capabilities.max_transmission_unit, 1514);
    // 1024 offered, reduced to the driver's ring sizes and enabled.
    assert.equal(fake.queues[RX_QUEUE].size, 256);
    assert.equal(fake.queues[TX_QUEUE].size, 64);
    assert.equal(fake.queues[RX_QUEUE].enable, 1);
    assert.equal(fake.queues[TX_QUEUE].enable, 1);
    assert.equal(fake.queues[2].enable, 0, "no control queue");
    assert.equal(fake.posted(RX_QUEUE), 256, "every receive buffer posted");
    assert.equal(fake.notifications[RX_QUEUE], 1, "one notification for the full ring, after DRIVER_OK");
    assert.match(dmesg_text(), /eth0: virtio-net 00:03\.0: io regs, irq 11, mac 52:54:00:12:34:56, mtu 1500, rx 256x1526 B, tx 64/);
  });

  it("hands out frames the device wrote byte-exact, and posts their buffers again a batch at a time when a poll ends", () => {
    const sim = machine();
    const dev = probe(sim);
    const frames = [frame(60, 1), frame(1514, 2), frame(300, 3)];
    for (const f of frames) assert.ok(sim.dev.deliver(f));
    assert.equal(sim.dev.posted(RX_QUEUE), 253);
    for (const f of frames) assert.deepEqual(received(dev), f);
    assert.equal(received(dev), null);
    end_poll(dev);
    assert.equal(sim.dev.posted(RX_QUEUE), 253, "three are not a batch");
    assert.equal(sim.dev.notifications[RX_QUEUE], 1, "nor worth a notification");
    assert.equal(dev.stats.rx_bytes, 60 + 1514 + 300);
    pass_frames(sim, dev, REFILL_AFTER - 3);
    assert.equal(received(dev), null);
    end_poll(dev);
    assert.equal(sim.dev.posted(RX_QUEUE), 256 - REFILL_AFTER, "still no more than a batch");
    pass_frames(sim, dev, 1);
    assert.equal(received(dev), null);
    assert.equal(sim.dev.posted(RX_QUEUE), 256 - REFILL_AFTER - 1, "not before the poll ends");
    end_poll(dev);
    assert.equal(sim.dev.posted(RX_QUEUE), 256, "refilled");
    assert.equal(sim.dev.notifications[RX_QUEUE], 2, "and the device told once");
    assert.equal(dev.stats.rx_packets, 3 + REFILL_AFTER - 2);
    // Round the ring several times: used and avail idx wrap consistently.
    for (let i = 0; i < 1000; i++) {
      const f = frame(64 + (i % 900), i);
      assert.ok(sim.dev.deliver(f));
      assert.deepEqual(received(dev), f);
      if (i % 100 === 99) {
        assert.equal(received(dev), null);
        end_poll(dev);
      }
    }
    assert.equal(received(dev), null);
    end_poll(dev);
    assert.equal(sim.dev.posted(RX_QUEUE), 256);
    assert.equal(sim.dev.rx_no_buffer, 0);
  });

  it("a frame stays valid until the next receive(), and its buffer is posted again only after that", () => {
    const sim = machine();
    const dev = probe(sim);
    sim.dev.deliver(frame(100, 9));
    const f = dev.receive(0)!;
    assert.equal(sim.dev.posted(RX_QUEUE), 255);
    end_poll(dev); // (a poll that ran out of budget here)
    assert.equal(sim.dev.posted(RX_QUEUE), 255, "still held");
    sim.dev.deliver(frame(100, 10)); // may not land in the held buffer
    assert.deepEqual(f.buffer.slice(f.offset, f.offset + f.length), frame(100, 9));
    assert.deepEqual(received(dev), frame(100, 10));
    pass_frames(sim, dev, REFILL_AFTER); // enough for a refill, the last one held
    end_poll(dev);
    assert.equal(sim.dev.posted(RX_QUEUE), 255, "the first one is back, the one held is not");
  });

  it("counts and recycles buffers with a bad used length", () => {
    const sim = machine();
    const dev = probe(sim);
    sim.dev.deliver(frame(60, 1), { used_len: 11 }); // shorter than the header
    sim.dev.deliver(frame(60, 2), { used_len: 12 + 13 }); // no room for an Ethernet header
    sim.dev.deliver(frame(60, 3), { used_len: 12 + 1514 + 1 }); // longer than the buffer
    sim.dev.deliver(frame(60, 4), { used_len: 0xffffffff });
    sim.dev.deliver(frame(60, 5));
    assert.deepEqual(received(dev), frame(60, 5));
    assert.equal(dev.stats.rx_errors, 4);
    assert.equal(dev.stats.rx_packets, 1);
    assert.equal(received(dev), null);
    pass_frames(sim, dev, REFILL_AFTER - 4);
    assert.equal(received(dev), null);
    end_poll(dev);
    assert.equal(sim.dev.posted(RX_QUEUE), 256, "the bad buffers went back to the device");
  });

  it("counts a num_buffers other than 1 but keeps the frame (v86 writes 1 big-endian)", () => {
    const sim = machine();
    const dev = probe(sim);
    sim.dev.deliver(frame(60, 1), { num_buffers: 0x0100 }); // what v86 writes
    sim.dev.deliver(frame(60, 2), { num_buffers: 2 });
    sim.dev.deliver(frame(60, 3));
    assert.deepEqual(received(dev), frame(60, 1));
    assert.deepEqual(received(dev), frame(60, 2));
    assert.deepEqual(received(dev), frame(60, 3));
    assert.equal(dev.rx_bad_num_buffers, 2);
    assert.equal(dev.stats.rx_errors, 0);
    assert.equal((dmesg_text().match(/num_buffers 256 without VIRTIO_NET_F_MRG_RXBUF/g) || []).length, 1, "reported once");
  });

  it("transmits frames with a zero header, and reuses buffers once the device completes them", () => {
    const sim = machine();
    const dev = probe(sim);
    const out = frame(42, 7);
    const f = dev.transmit(0, out.length)!;
    assert.equal(f.length, 42);
    f.buffer.set(out, f.offset);
    dev.transmit_commit(0);
    assert.equal(sim.dev.sent.length, 1);
    assert.deepEqual(sim.dev.sent[0], out);
    assert.deepEqual(sim.dev.sent_headers[0], new Uint8Array(12));
    assert.equal(sim.dev.notifications[TX_QUEUE], 1);
    assert.equal(sim.dev.avail_flags(TX_QUEUE) & VIRTQ_AVAIL_F_NO_INTERRUPT, VIRTQ_AVAIL_F_NO_INTERRUPT, "TX completions are polled");
    // With completions held back, the ring runs out after tx_ring_size frames.
    sim.dev.hold_tx = true;
    let sent = 0;
    for (let i = 0; i < 100; i++) {
      const g = dev.transmit(0, 100);
      if (!g) break;
      g.buffer.set(frame(100, i), g.offset);
      dev.transmit_commit(0);
      sent++;
    }
    // The first frame's buffer came back when transmit() found the ring empty.
    assert.equal(sent, dev.tx_ring_size);
    assert.equal(dev.transmit(0, 100), null, "all in flight");
    assert.equal(sim.dev.sent.length, 1 + dev.tx_ring_size);
    for (let i = 0; i < dev.tx_ring_size; i++) assert.deepEqual(sim.dev.sent[1 + i], frame(100, i));
    sim.dev.complete_tx();
    assert.ok(dev.transmit(0, 100), "reclaimed once completed");
    assert.equal(dev.transmit(0, 1515), null, "longer than the MTU");
    assert.equal(dev.stats.tx_dropped, 1);
    assert.equal(dev.stats.tx_packets, 1 + dev.tx_ring_size);
    assert.equal(dev.stats.tx_errors, 0);
  });

  it("tells the device once for a burst committed with more (xmit_more), and before transmit() says it is full", () => {
    const sim = machine();
    const dev = probe(sim);
    const send = (i: number, more: boolean) => {
      const f = dev.transmit(0, 100);
      if (!f) return false;
      f.buffer.set(frame(100, i), f.offset);
      dev.transmit_commit(0, more);
      return true;
    };
    for (let i = 0; i < 4; i++) send(i, i < 3);
    assert.equal(sim.dev.notifications[TX_QUEUE], 1, "one notification for four frames");
    assert.equal(sim.dev.sent.length, 4);
    // A burst the ring cannot hold: what waits is told before transmit() gives up.
    sim.dev.hold_tx = true;
    let sent = 0;
    while (send(100 + sent, true)) sent++;
    assert.equal(sent, dev.tx_ring_size);
    assert.equal(sim.dev.sent.length, 4 + dev.tx_ring_size, "nothing committed is left unsent");
  });

  it("under NAPI: the interrupt sets NO_INTERRUPT, the poll drains, completion clears it", async () => {
    const sim = machine();
    const dev = probe(sim);
    assert.equal(sim.dev.avail_flags(RX_QUEUE), 0, "interrupts on while idle");
    sim.dev.deliver(frame(80, 1));
    await run_idle(); // the IRQ thread runs the handler
    assert.equal(dev.stats.irqs, 1);
    assert.equal(sim.dev.isr, 0, "reading the ISR acknowledged it");
    assert.ok(dev.napi.state & NAPI_STATE_SCHED);
    assert.equal(sim.dev.avail_flags(RX_QUEUE), VIRTQ_AVAIL_F_NO_INTERRUPT, "masked while polled");
    // More frames while masked raise no interrupt.
    sim.dev.deliver(frame(90, 2));
    assert.equal(sim.dev.isr, 0);
    net_rx_action();
    assert.equal(dev.stats.rx_packets, 2);
    assert.equal(dev.iface.stats.rx_frames, 2);
    assert.equal(dev.napi.state & NAPI_STATE_SCHED, 0);
    assert.equal(sim.dev.avail_flags(RX_QUEUE), 0, "unmasked after completion");
    assert.equal(sim.dev.posted(RX_QUEUE), 254, "two buffers wait for a batch");
    assert.equal(sim.dev.notifications[RX_QUEUE], 1, "no notification for them");
    // The next frame interrupts again.
    sim.dev.deliver(frame(100, 3));
    await run_idle();
    assert.equal(dev.stats.irqs, 2);
    net_rx_action();
    assert.equal(dev.stats.rx_packets, 3);
  });

  it("does not strand a frame used after the last receive() but before the unmask", async () => {
    const sim = machine();
    const dev = probe(sim);
    sim.dev.deliver(frame(80, 1));
    await run_idle();
    // The moment the poll finds the ring empty, another frame lands, while
    // NO_INTERRUPT is still set: the device raises nothing.
    const receive = dev.receive.bind(dev);
    let sprung = false;
    dev.receive = (now) => {
      const f = receive(now);
      if (!f && !sprung) {
        sprung = true;
        sim.dev.deliver(frame(80, 2));
      }
      return f;
    };
    const polls = dev.napi.polls;
    net_rx_action();
    assert.ok(sprung);
    assert.equal(sim.dev.isr, 0, "no interrupt for it");
    // The re-check after unmasking put the poll back on the list, and the next round ran it.
    assert.ok(softnet_data.has_work());
    net_rx_action();
    assert.equal(dev.napi.polls - polls, 2);
    assert.equal(dev.stats.rx_packets, 2);
    assert.equal(dev.napi.state & NAPI_STATE_SCHED, 0);
    assert.equal(sim.dev.avail_flags(RX_QUEUE), 0);
  });

  it("in interrupt mode, processes everything in the handler", async () => {
    const sim = machine();
    const dev = probe(sim);
    dev.rx_mode = "interrupt";
    for (let i = 0; i <= REFILL_AFTER; i++) sim.dev.deliver(frame(80, i));
    await run_idle();
    assert.equal(dev.stats.rx_packets, REFILL_AFTER + 1);
    assert.equal(dev.iface.stats.rx_frames, REFILL_AFTER + 1);
    assert.equal(sim.dev.posted(RX_QUEUE), 256);
  });

  it("says IRQ_NONE on a shared line when its ISR is clear, and re-reads the link on a config change", async () => {
    const sim = machine();
    const dev = probe(sim);
    sim.raise_irq(IRQ); // another device on the line
    await run_idle();
    assert.equal(irq_descs()[IRQ].unhandled, 1);
    assert.equal(dev.stats.irqs, 0);
    assert.equal(dev.link_up, true);
    sim.dev.set_link(false);
    await run_idle();
    assert.equal(dev.link_up, false);
    assert.equal(irq_descs()[IRQ].unhandled, 1);
    assert.match(dmesg_text(), /eth0: link down/);
    sim.dev.set_link(true);
    await run_idle();
    assert.equal(dev.link_up, true);
  });

  it("sizes receive buffers for a 64 KiB MTU within the DMA budget", () => {
    const sim = machine({ mtu: 65535 });
    const dev = probe(sim);
    assert.equal(dev.mtu, 65535);
    assert.equal(dev.rx_buffer_len, 12 + 14 + 65535);
    assert.equal(dev.rx_ring_size, 32);
    assert.ok(dev.rx_ring_size * dev.rx_buffer_len <= RX_DMA_BUDGET);
    assert.equal(dev.capabilities.max_transmission_unit, 65549);
    const big = frame(65549, 5);
    sim.dev.deliver(big);
    assert.deepEqual(received(dev), big);
    // Its few buffers go back in smaller batches: more than an eighth of the ring.
    pass_frames(sim, dev, 4);
    assert.equal(received(dev), null);
    end_poll(dev);
    assert.equal(sim.dev.posted(RX_QUEUE), 32, "five of 32 were a batch");
    const f = dev.transmit(0, big.length)!;
    f.buffer.set(big, f.offset);
    dev.transmit_commit(0);
    assert.deepEqual(sim.dev.sent[0], big);
  });

  it("without VIRTIO_NET_F_MTU, uses 1500", () => {
    const sim = machine({ features_lo: 1 << 5, mtu: 9000 });
    const dev = probe(sim);
    assert.equal(dev.mtu, 1500);
    assert.equal(dev.features.toString(), "0x0000000100000020");
  });

  it("fails cleanly, logged, when the device refuses the features", () => {
    const sim = machine({ refuse_features: true });
    assert.equal(VirtioNet.probe(sim.pci(), "eth0"), null);
    assert.match(dmesg_text(), /eth0: virtio-net 00:03\.0: device refused features 0x0000000100010028; device not used/);
    assert.equal(sim.dev.status, 0x80, "FAILED");
    assert.equal(sim.dma.length, 0, "DMA memory given back");
  });

  it("fails cleanly when DMA memory runs out, with the failure logged", () => {
    const sim = machine();
    const dma_alloc = sim.dma_alloc.bind(sim);
    let calls = 0;
    sim.dma_alloc = (bytes) => {
      if (++calls === 3) throw new RangeError("dma_alloc: out of DMA pages");
      return dma_alloc(bytes);
    };
    assert.equal(VirtioNet.probe(sim.pci(), "eth0"), null);
    assert.match(dmesg_text(), /eth0: virtio-net 00:03\.0: RangeError: dma_alloc: out of DMA pages/);
    assert.equal(sim.dev.status, 0x80);
    assert.equal(sim.dma.length, 0, "what was allocated is given back");
    assert.equal(sim.mem_info().dma_used, 0);
  });

  it("refuses a legacy-only device, and a device without virtio capabilities", () => {
    let sim = machine({ features_hi: 0 });
    assert.equal(VirtioNet.probe(sim.pci(), "eth0"), null);
    assert.match(dmesg_text(), /no VIRTIO_F_VERSION_1 \(legacy-only device\)/);
    assert.equal(sim.dev.status, 0x80);
    sim = machine();
    assert.equal(VirtioNet.probe({ ...sim.pci(), capabilities: [] }, "eth1"), null);
    assert.match(dmesg_text(), /eth1: virtio-net 00:03\.0: no usable common configuration capability/);
    assert.equal(VirtioNet.probe({ ...sim.pci(), device_id: 0x1000, irq: -1 }, "eth2"), null);
    assert.match(dmesg_text(), /eth2: .*no IRQ routed/);
    assert.equal(VirtioNet.matches({ ...sim.pci(), device_id: 0x1000 }), true);
    assert.equal(VirtioNet.matches({ ...sim.pci(), device_id: 0x1042 }), false);
    assert.equal(VirtioNet.probe({ ...sim.pci(), device_id: 0x1042 }, "eth3"), null);
    assert.match(dmesg_text(), /eth3: .*not a virtio-net device/);
  });
});

describe("drivers: virtio building blocks", () => {
  it("MmioRegion accesses little-endian registers at their offsets", () => {
    const sim = machine();
    const bar = new ArrayBuffer(64);
    sim.mmio_map = () => bar;
    const regs = new MmioRegion(0xfebf0000, 64);
    regs.write32(0x20, 0x12345678);
    regs.write16(0x1c, 0xabcd);
    regs.write8(0x14, 0x0f);
    assert.deepEqual([...new Uint8Array(bar, 0x1c, 8)], [0xcd, 0xab, 0, 0, 0x78, 0x56, 0x34, 0x12]);
    assert.equal(new Uint8Array(bar)[0x14], 0x0f);
    assert.equal(regs.read32(0x20), 0x12345678);
    assert.equal(regs.read16(0x22), 0x1234);
    assert.equal(regs.read8(0x14), 0x0f);
    assert.equal(regs.read32(0x1c), 0xabcd);
  });

  it("maps capabilities in memory BARs with mmio_map, skipping unusable ones", () => {
    const sim = machine();
    const maps: string[] = [];
    const common = new ArrayBuffer(0x38);
    new DataView(common).setUint16(0x12, 3, true); // num_queues
    sim.mmio_map = (phys, length) => {
      maps.push(`${phys.toString(16)}+${length.toString(16)}`);
      return phys === MEM0 ? common : new ArrayBuffer(length);
    };
    const transport = VirtioPciTransport.open(sim.pci("mem"));
    // Common (the one naming reserved BAR 6 skipped), ISR, device, notify; not PCI_CFG.
    assert.deepEqual(maps, [
      `${MEM0.toString(16)}+38`,
      `${(MEM0 + 0x40).toString(16)}+1`,
      `${MEM1.toString(16)}+c`,
      `${(MEM1 + 0x20).toString(16)}+20`,
    ]);
    assert.equal(transport.describe(), "mmio");
    assert.equal(transport.num_queues(), 3);
  });

  it("Features keeps 64 bits in two words", () => {
    const f = Features.of([0, 31, 32, 63]);
    assert.equal(f.toString(), "0x8000000180000001");
    assert.ok(f.has(63) && f.has(32) && f.has(31) && !f.has(30));
    assert.equal(f.and(Features.of([31, 32])).toString(), "0x0000000180000000");
  });

  it("a Virtqueue lays out its rings per the spec and wraps its free-running indices", () => {
    machine();
    const vq = new Virtqueue(0, 8);
    assert.equal(vq.avail_phys - vq.desc_phys, 8 * 16);
    assert.equal(vq.used_phys % 4, 0);
    assert.ok(vq.used_phys >= vq.avail_phys + 6 + 2 * 8);
    const mem = vq.memory.bytes;
    const view = new DataView(mem.buffer, mem.byteOffset);
    const avail = vq.avail_phys - vq.desc_phys;
    const used = vq.used_phys - vq.desc_phys;
    vq.set_buffers(0x12340000, 0x1000, 2);
    const ids = new Uint32Array(8),
      lens = new Uint32Array(8);
    for (let n = 0; n < 70000; n++) {
      vq.add(3, 100);
      const idx = (n + 1) & 0xffff;
      assert.equal(view.getUint16(avail + 2, true), idx);
      if (n % 9973 === 0) assert.equal(view.getUint16(avail + 4 + 2 * (n % 8), true), 3);
      // The device uses it.
      view.setUint32(used + 4 + 8 * (n % 8), 3, true);
      view.setUint32(used + 8 + 8 * (n % 8), 42, true);
      view.setUint16(used + 2, idx, true);
      assert.ok(vq.has_used());
      assert.equal(vq.take_used(ids, lens), 1);
      assert.equal(ids[0], 3);
      assert.equal(lens[0], 42);
      assert.equal(vq.take_used(ids, lens), 0);
    }
    assert.equal(view.getUint32(3 * 16, true), 0x12343000);
    assert.equal(view.getUint32(3 * 16 + 8, true), 100);
    assert.equal(view.getUint16(3 * 16 + 12, true), 2);
    assert.equal(view.getUint32(7 * 16, true), 0x12347000, "every descriptor has its buffer");
  });

  it("a Virtqueue offers every buffer in order at its first fill", () => {
    machine();
    const vq = new Virtqueue(0, 8);
    const mem = vq.memory.bytes;
    const view = new DataView(mem.buffer, mem.byteOffset);
    const avail = vq.avail_phys - vq.desc_phys;
    vq.add_all(1536);
    assert.equal(view.getUint16(avail + 2, true), 8, "the avail index publishes all eight");
    for (let id = 0; id < 8; id++) {
      assert.equal(view.getUint16(avail + 4 + 2 * id, true), id);
      assert.equal(view.getUint32(id * 16 + 8, true), 1536);
    }
    vq.add(5, 100);
    assert.equal(view.getUint16(avail + 2, true), 9, "and add() goes on from there");
    assert.equal(view.getUint16(avail + 4, true), 5, "in the ring's first slot again");
  });
});
