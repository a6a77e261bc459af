// One round: an ICMP echo request arrives while the kernel idles, and the
// reply goes out: the whole kernel's path for it, on the simulated machine
// (kernel/hal/sim.ts) instead of the NE2000: the IRQ taken by the idle
// loop, the NIC's handler, the NET_RX softirq at IRQ exit, net_rx_action,
// the NAPI poll and the stack, then back to idle. The NIC is the tests'
// FakeNic, interrupting on a line of its own; the simulated hal's calls are
// JS functions where the guest's are natives.
import { softnet_data } from "../../../kernel/net/napi";
import { napi_init } from "../../../kernel/net/napi_handler";
import { fresh_sim } from "../../../test/kernel/helpers";
import { echo_request } from "./frames";
import { InterruptingNic, IRQ, ping_namespace, run_rounds } from "./kernel_machine";
import { use_natives } from "./scenario";

use_natives();

const sim = fresh_sim();
softnet_data.reset();
napi_init();
const nic = new InterruptingNic();
ping_namespace(nic);
const request = echo_request();

run_rounds(
  sim,
  () => {
    nic.ring.push(request);
    sim.raise_irq(IRQ);
  },
  () => nic.frames_sent,
  "replies",
);
