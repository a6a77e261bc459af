// One round: an ICMP echo request arrives while the kernel idles, and the
// reply goes out: the whole kernel's path for it, on the simulated machine
// (kernel/hal/sim.ts) instead of the NE2000: the IRQ taken by the idle
// loop, the NIC's handler, the NET_RX softirq at IRQ exit, net_rx_action,
// the NAPI poll and the stack, then back to idle. The NIC is the tests'
// FakeNic, interrupting on a line of its own; the simulated hal's calls are
// JS functions where the guest's are natives.
import { request_irq, IRQ_HANDLED, IRQ_NONE } from "../../../kernel/irq/irq";
import { softnet_data } from "../../../kernel/net/napi";
import { napi_init } from "../../../kernel/net/napi_handler";
import { FakeNic } from "../../../test/kernel/fake_nic";
import { fresh_sim } from "../../../test/kernel/helpers";
import { echo_request, OUR_MAC } from "./frames";
import { ping_namespace, run_pings } from "./ping_namespace";
import { use_natives } from "./scenario";

use_natives();
const IRQ = 11;

/** FakeNic with an interrupt line: a frame that arrives raises it, and the handler schedules NAPI, as a driver's does. */
class InterruptingNic extends FakeNic {
  replies = 0;

  constructor() {
    super("eth0", OUR_MAC);
    request_irq(IRQ, () => this.interrupt(), "eth0", { threaded: false });
  }

  private interrupt(): typeof IRQ_HANDLED | typeof IRQ_NONE {
    if (this.ring.length === 0) return IRQ_NONE;
    this.rx_interrupt();
    return IRQ_HANDLED;
  }

  /** Counted, not kept: what the stack wrote is the stack's business here. */
  transmit_commit(): void {
    this.replies++;
  }
}

const sim = fresh_sim();
softnet_data.reset();
napi_init();
const nic = new InterruptingNic();
ping_namespace(nic);
const request = echo_request();

run_pings(
  sim,
  () => {
    nic.ring.push(request);
    sim.raise_irq(IRQ);
  },
  () => nic.replies,
);
