import { strict as assert } from "assert";
import { SimHal, SimPowerOff } from "../../kernel/hal/sim";

describe("kernel: simulated HAL", () => {
  it("idle jumps the clock to the deadline or the next injected event", () => {
    const sim = new SimHal();
    let fired = false;
    sim.at(500, () => (fired = true));
    sim.idle(1000);
    assert.equal(sim.now_us(), 500);
    assert.ok(fired);
    sim.idle(1000);
    assert.equal(sim.now_us(), 1000);
    assert.throws(() => sim.idle(Infinity), /deadlock/);
  });

  it("idle returns at once when an IRQ is pending", () => {
    const sim = new SimHal();
    sim.irq_unmask(3);
    sim.raise_irq(3);
    sim.idle(1000);
    assert.equal(sim.now_us(), 0);
    assert.equal(sim.irq_take_pending(), 1 << 3);
    assert.equal(sim.irq_take_pending(), 0);
    assert.ok(sim.is_masked(3), "the hard stub masks what it took");
  });

  it("honours masking: a masked line is held until unmasked", () => {
    const sim = new SimHal();
    sim.raise_irq(5);
    assert.equal(sim.irq_take_pending(), 0);
    sim.irq_unmask(5);
    assert.equal(sim.irq_take_pending(), 1 << 5);
  });

  it("fakes COM1: LSR.DR, RBR, IRQ 4 once the receive interrupt is enabled", () => {
    const sim = new SimHal();
    sim.irq_unmask(4);
    sim.type("hi");
    assert.equal(sim.irq_take_pending(), 0, "IER is off");
    sim.outb(0x3f9, 0x01);
    assert.equal(sim.irq_take_pending(), 1 << 4);
    assert.equal(sim.inb(0x3fd) & 1, 1);
    assert.equal(sim.inb(0x3f8), 0x68);
    assert.equal(sim.inb(0x3f8), 0x69);
    assert.equal(sim.inb(0x3fd) & 1, 0);
    sim.outb(0x3f8, 0x41);
    assert.equal(sim.output, "A");
  });

  it("gives zeroed DMA memory and stops on poweroff with a recognizable error", () => {
    const sim = new SimHal();
    const buffer = sim.dma_alloc(100);
    assert.equal(buffer.bytes.length, 100);
    assert.equal(buffer.phys % 4096, 0);
    assert.ok(buffer.bytes.every((b) => b === 0));
    assert.throws(
      () => sim.poweroff(3),
      (error: unknown) => error instanceof SimPowerOff && error.code === 3,
    );
    assert.equal(sim.stopped, 3);
  });

  it("checksums like RFC 1071", () => {
    const sim = new SimHal();
    const data = new Uint8Array([0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7]);
    assert.equal(sim.checksum(data, 0, data.length, 0), 0xddf2);
  });
});
