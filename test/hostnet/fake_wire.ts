// A cable for host-side tests: two V86Links on fake v86 buses joined back to
// back, so one side's "net0-receive" (towards the guest) is the other's
// "net0-send" (from the guest). Two HostStacks on it talk as host and guest.
import { V86Link } from "../../tools/hostnet/v86_link";

type Handler = (data: Uint8Array) => void;

export function wire(): [V86Link, V86Link] {
  const handlers: Handler[] = [];
  const bus = (me: number) => ({
    send: (_event: string, data: unknown) => handlers[1 - me]?.(data as Uint8Array),
    register: (_event: string, fn: Handler) => {
      handlers[me] = fn;
    },
  });
  return [new V86Link(bus(0)), new V86Link(bus(1))];
}
