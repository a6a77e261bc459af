import { strict as assert } from "assert";
import { dmesg_text } from "../../kernel/log";
import { net_rx_action, softnet_data } from "../../kernel/net/napi";
import { NAPI_STATE_SCHED } from "../../kernel/net/napi_state";
import { register_netdev } from "../../kernel/net/dev";
import { NetNamespace } from "../../kernel/net/netns";
import { Ne2000 } from "../../drivers/net/ne2000";
import { ISR_PRX, ISR_PTX, Ne2000Machine } from "./ne2000_fake";
import { fresh_machine, run_idle } from "../kernel/helpers";

const MAC = [0x00, 0x22, 0x15, 0x12, 0x34, 0x56];
/** The ring's pages as the driver lays them out (after the transmit buffer's six). */
const RX_START_PAGE = 0x46;
const RX_STOP_PAGE = 0x80;
/** Frames the memory ring keeps at most when they are full-sized (64 of six pages each). */
const MEMORY_RING_FULL_FRAMES = 64;

function machine(): Ne2000Machine {
  const sim = fresh_machine(new Ne2000Machine(MAC));
  softnet_data.reset();
  return sim;
}

function probe(sim: Ne2000Machine): Ne2000 {
  const dev = Ne2000.probe(sim.pci(), "eth0");
  assert.ok(dev, "probe failed:\n" + dmesg_text());
  register_netdev(dev, new NetNamespace("test"));
  return dev;
}

/** A frame of `length` bytes to the card's MAC whose body says `seed`. */
function frame(length: number, seed: number): Uint8Array {
  const bytes = new Uint8Array(length);
  bytes.set([...MAC, 0x02, 0, 0, 0, 0, 1, 0x88, 0xb5]);
  for (let i = 14; i < length; i++) bytes[i] = (i * 7 + seed) & 0xff;
  return bytes;
}

/** Every frame the driver's memory ring holds, taken as the NAPI poll takes them. */
function drain(dev: Ne2000): Uint8Array[] {
  const frames: Uint8Array[] = [];
  for (let f = dev.receive(0); f !== null; f = dev.receive(0)) frames.push(f.buffer.slice(f.offset, f.offset + f.length));
  return frames;
}

describe("drivers: NE2000 (RTL8029 on PCI, fake DP8390 in an I/O BAR)", () => {
  it("resets the card, reads the MAC from its PROM and starts it with the receive ring after the transmit buffer", () => {
    const sim = machine();
    const dev = probe(sim);
    const card = sim.card;
    assert.equal(dev.mac, 0x002215123456);
    assert.deepEqual([...card.par], MAC, "the station address programmed");
    assert.equal(card.cr & 0x03, 0x02, "started (STA), not stopped");
    assert.equal(card.pstart, RX_START_PAGE);
    assert.equal(card.pstop, RX_STOP_PAGE);
    assert.equal(card.curr, RX_START_PAGE + 1);
    assert.equal(card.bnry, RX_START_PAGE, "BNRY one behind the next page to read");
    assert.equal(card.imr & ISR_PRX, ISR_PRX, "receive interrupts on");
    assert.equal(sim.card.command() & 1, 1, "I/O decoding on");
    assert.match(dmesg_text(), /eth0: NE2000 \(RTL8029\) at io 0xc200, irq 11, mac 00:22:15:12:34:56/);
  });

  it("the top half copies each frame off the card as it lands, and frees its pages", () => {
    const sim = machine();
    const dev = probe(sim);
    const sent = [frame(60, 1), frame(1514, 2), frame(42, 3), frame(300, 4)];
    for (const f of sent) {
      assert.ok(sim.card.receive(f));
      // The interrupt preempted the test at once: the card's ring is empty again.
      assert.equal(sim.card.pages_in_use(), 0);
      assert.equal(sim.card.bnry, sim.card.curr === RX_START_PAGE ? RX_STOP_PAGE - 1 : sim.card.curr - 1);
    }
    const short = new Uint8Array(60);
    short.set(sent[2]); // the card pads a short frame to 60 bytes
    assert.deepEqual(drain(dev), [sent[0], sent[1], short, sent[3]]);
    assert.equal(dev.stats.rx_packets, 4);
    assert.equal(dev.stats.rx_bytes, 60 + 1514 + 60 + 300);
  });

  it("frames that wrap past the end of the card's ring come out whole, round after round", () => {
    const sim = machine();
    const dev = probe(sim);
    // 57 free pages: sizes that do not divide the ring make frames straddle its end.
    for (let i = 0; i < 400; i++) {
      const f = frame(64 + ((i * 397) % 1450), i);
      assert.ok(sim.card.receive(f), `frame ${i} fits`);
      const [got] = drain(dev);
      assert.deepEqual(got.subarray(0, f.length), f, `frame ${i}`);
    }
    assert.equal(dev.stats.rx_packets, 400);
    assert.equal(dev.stats.rx_errors, 0);
  });

  it("under NAPI: the first frame's top half schedules the poll, later ones only land in memory, and the poll takes them all", async () => {
    const sim = machine();
    const dev = probe(sim);
    sim.card.receive(frame(100, 1));
    // The interrupt preempted the test at once, and its top half scheduled
    // NAPI itself, as Linux's handlers do: no pass of the scheduler came between.
    assert.ok(dev.napi.state & NAPI_STATE_SCHED);
    assert.ok(softnet_data.has_work(), "on the poll list");
    assert.equal(dev.stats.irqs, 1);
    for (let i = 2; i <= 5; i++) sim.card.receive(frame(100, i));
    await run_idle();
    assert.equal(dev.stats.irqs, 5, "each frame interrupted");
    assert.equal(dev.stats.rx_packets, 5, "the top half copied each one");
    net_rx_action();
    assert.equal(dev.iface.stats.rx_frames, 5, "one poll took them all to the stack");
    assert.equal(dev.napi.state & NAPI_STATE_SCHED, 0);
  });

  it("when the memory ring is full the card stops interrupting and drops on its own; the poll catches up and turns it back on", () => {
    const sim = machine();
    const dev = probe(sim);
    // No poll runs: the memory ring fills with full frames, then the card's own ring.
    let accepted = 0;
    for (let i = 0; i < 90; i++) if (sim.card.receive(frame(1514, i))) accepted++;
    assert.equal(dev.stats.rx_packets, MEMORY_RING_FULL_FRAMES, "the memory ring holds 64 full frames");
    assert.equal(sim.card.imr & ISR_PRX, 0, "receive interrupts off while it is full");
    const card_frames = accepted - MEMORY_RING_FULL_FRAMES;
    assert.equal(card_frames, 9, "the card's 57 pages hold 9 more");
    assert.equal(sim.card.dropped, 90 - accepted);
    const frames = drain(dev);
    // Emptying half the memory ring turned the interrupt on and took what waited on the card.
    assert.equal(frames.length, accepted);
    frames.forEach((f, i) => assert.deepEqual(f, frame(1514, i), `frame ${i} in order`));
    assert.equal(sim.card.imr & ISR_PRX, ISR_PRX);
    assert.equal(sim.card.pages_in_use(), 0);
    // And the card takes frames again.
    assert.ok(sim.card.receive(frame(200, 99)));
    assert.deepEqual(drain(dev), [frame(200, 99)]);
  });

  it("frames left on the card while the memory ring was full are taken once it has room, though their interrupt was acknowledged meanwhile", () => {
    const sim = machine();
    const dev = probe(sim);
    for (let i = 0; i < MEMORY_RING_FULL_FRAMES + 3; i++) sim.card.receive(frame(1514, i));
    assert.equal(sim.card.pages_in_use(), 18, "three frames wait on the card");
    // A transmit completion interrupt comes meanwhile: its top half reads and acknowledges PRX too.
    sim.card.hold_transmit = true;
    const tx = dev.transmit(0, 100)!;
    tx.buffer.set(frame(100, 1000), tx.offset);
    dev.transmit_commit(0);
    assert.equal(dev.transmit(0, 100), null, "waits for the completion");
    sim.card.complete_transmit();
    assert.equal(sim.card.isr & ISR_PRX, 0, "PRX acknowledged");
    assert.equal(sim.card.pages_in_use(), 18, "nowhere to copy them yet");
    const frames = drain(dev);
    assert.equal(frames.length, MEMORY_RING_FULL_FRAMES + 3, "none stranded");
    assert.deepEqual(frames[frames.length - 1], frame(1514, MEMORY_RING_FULL_FRAMES + 2));
  });

  it("a header it cannot trust restarts the card's ring, keeps the frames before it, and counts an error", () => {
    const sim = machine();
    const dev = probe(sim);
    sim.card.receive(frame(100, 1));
    sim.card.receive(frame(100, 2), 0x20); // a next-page pointer outside the ring
    assert.equal(dev.stats.rx_errors, 1);
    assert.equal(sim.card.curr, RX_START_PAGE + 1, "the ring starts over");
    sim.card.receive(frame(100, 3));
    assert.deepEqual(drain(dev), [frame(100, 1), frame(100, 3)]);
  });

  it("sends a frame through the card's transmit buffer, padded to 60 bytes", () => {
    const sim = machine();
    const dev = probe(sim);
    for (const length of [1514, 42, 61]) {
      const f = frame(length, length);
      const tx = dev.transmit(0, length)!;
      tx.buffer.set(f, tx.offset);
      dev.transmit_commit(0);
      const padded = new Uint8Array(Math.max(length, 60));
      padded.set(f);
      assert.deepEqual(sim.card.sent[sim.card.sent.length - 1], padded);
    }
    assert.equal(dev.stats.tx_packets, 3);
  });

  it("while the card is still sending, transmit() says so, and the completion interrupt lets output go on", async () => {
    const sim = machine();
    const dev = probe(sim);
    sim.card.hold_transmit = true;
    const first = dev.transmit(0, 100)!;
    first.buffer.set(frame(100, 1), first.offset);
    dev.transmit_commit(0);
    assert.equal(dev.transmit(0, 100), null, "busy with the first");
    assert.equal(sim.card.imr & ISR_PTX, ISR_PTX, "and asks for the completion interrupt");
    sim.card.complete_transmit();
    await run_idle();
    assert.equal(sim.card.imr & ISR_PTX, 0, "asked only while waiting");
    const second = dev.transmit(0, 100);
    assert.ok(second, "free again");
    assert.deepEqual(sim.card.sent, [frame(100, 1)]);
  });
});
