// When a device's stack next needs a poll without a packet arriving (a TCP
// retransmission, a delayed ACK, an ARP retry): its poll_at_us, read by the
// namespace's netns_poll thread, which sleeps until the earliest one.
//
// Two parties write it, and only through this type:
//   publish()  the poll, afterwards: the stack's own next deadline;
//   take_due() netns_poll: the deadline came, it schedules the poll.
// (A socket that gets work schedules the poll itself: see
// NetNamespace.request_poll.)
// Every change bumps the namespace's generation. netns_poll reads the
// generation before it chooses its deadline, and its wait condition is
// "the generation moved and some deadline is now earlier than mine". So a
// publish that lands between its choice and its sleep cannot be lost
// (DragonOS bug #2162 was exactly that lost wakeup), and a publish that
// changes nothing costs the waker one comparison. Nothing here imports
// anything: it is the state machine alone.

/** A namespace's change counter, shared by the deadlines of its devices. */
export class PollGeneration {
  /** Bumped on every change of any of the namespace's deadlines. */
  value = 0;
}

/** One device's poll_at_us and the rules for changing it. */
export class PollDeadline {
  private at_us: number | null = null;

  /** The namespace the device is in; re-pointed when it moves (ip link set netns). */
  constructor(public generation: PollGeneration) {}

  /** µs at which the device needs a poll, or null for none. */
  get poll_at_us(): number | null {
    return this.at_us;
  }

  /** After a poll: the stack's next deadline. Returns true if it changed. */
  publish(at_us: number | null): boolean {
    if (at_us === this.at_us) return false;
    this.at_us = at_us;
    this.generation.value++;
    return true;
  }

  /** netns_poll: if the deadline has come, consume it (the poll will publish a new one) and return true. */
  take_due(now_us: number): boolean {
    if (this.at_us === null || this.at_us > now_us) return false;
    this.at_us = null;
    this.generation.value++;
    return true;
  }
}
