// The browser's setImmediate: run a function in a task of its own, after
// whatever the event loop already has queued (the emulator's next slice
// among it), without setTimeout's clamp to 4 ms once timeouts nest. A
// message posted to oneself through a MessageChannel is such a task.
const channel = new MessageChannel();
const queued: (() => void)[] = [];
channel.port1.onmessage = () => queued.shift()!();

export function next_turn(run: () => void): void {
  queued.push(run);
  channel.port2.postMessage(null);
}
