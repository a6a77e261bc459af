// The netns poll deadline alone: publish and take_due, and the
// generation that every change moves.
import { strict as assert } from "assert";
import { PollDeadline, PollGeneration } from "../../kernel/net/poll_deadline";

describe("netns poll deadline", () => {
  it("publish changes the deadline and the generation, and a repeat changes neither", () => {
    const generation = new PollGeneration();
    const d = new PollDeadline(generation);
    assert.equal(d.poll_at_us, null);
    assert.equal(d.publish(1000), true);
    assert.equal(d.poll_at_us, 1000);
    assert.equal(generation.value, 1);
    assert.equal(d.publish(1000), false);
    assert.equal(generation.value, 1);
    assert.equal(d.publish(null), true);
    assert.equal(generation.value, 2);
  });

  it("take_due consumes only a deadline that has come", () => {
    const generation = new PollGeneration();
    const d = new PollDeadline(generation);
    assert.equal(d.take_due(100), false);
    d.publish(200);
    assert.equal(d.take_due(100), false);
    assert.equal(d.poll_at_us, 200);
    const before = generation.value;
    assert.equal(d.take_due(200), true);
    assert.equal(d.poll_at_us, null);
    assert.ok(generation.value > before);
  });

  it("a reader that saw generation g learns of any later change, on whichever device", () => {
    const generation = new PollGeneration();
    const a = new PollDeadline(generation);
    const b = new PollDeadline(generation);
    a.publish(100);
    b.publish(80);
    const seen = generation.value;
    // What netns_poll does between reading the generation and sleeping, and
    // a publish landing in the middle of it.
    const chosen = Math.min(a.poll_at_us!, b.poll_at_us!);
    a.publish(5);
    assert.notEqual(generation.value, seen);
    assert.ok(Math.min(a.poll_at_us!, b.poll_at_us!) < chosen);
  });

  it("a device moving to another namespace takes the new namespace's generation", () => {
    const red = new PollGeneration();
    const blue = new PollGeneration();
    const d = new PollDeadline(red);
    d.generation = blue;
    d.publish(10);
    assert.equal(red.value, 0);
    assert.equal(blue.value, 1);
  });
});
