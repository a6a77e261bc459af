// One round: the ping of kernel_ping.ts, through the real NE2000 driver
// against the driver tests' fake DP8390 (test/drivers/ne2000_fake.ts): the
// top half that copies the frame off the card, the memory ring, the NAPI
// poll, the reply sent through the card's transmit buffer. The card and the
// simulated machine's port I/O are JS here where the guest has natives and
// v86, and they are counted too: compare this figure with itself.
import { Ne2000 } from "../../../drivers/net/ne2000";
import { softnet_data } from "../../../kernel/net/napi";
import { napi_init } from "../../../kernel/net/napi_handler";
import { Ne2000Machine } from "../../../test/drivers/ne2000_fake";
import { fresh_machine } from "../../../test/kernel/helpers";
import { echo_request, OUR_MAC_BYTES } from "./frames";
import { INTERVAL_US, ping_namespace } from "./ping_namespace";
import { report, rounds, use_natives } from "./scenario";
import { sched_run_until } from "../../../kernel/sched/sched";

use_natives();

const sim = fresh_machine(new Ne2000Machine(OUR_MAC_BYTES));
softnet_data.reset();
napi_init();
const dev = Ne2000.probe(sim.pci(), "eth0");
if (!dev) throw new Error("the NE2000 did not probe");
ping_namespace(dev);
const request = echo_request();

async function run(): Promise<void> {
  await sched_run_until(() => true); // the threads have started and sleep
  const n = rounds();
  let arrived = 0;
  // Each arrival is a timer event of the simulated machine, which schedules the next.
  const arrive = (): void => {
    sim.card.receive(request);
    if (++arrived < n) sim.at(sim.now_us() + INTERVAL_US, arrive);
  };
  sim.at(sim.now_us() + INTERVAL_US, arrive);
  await sched_run_until(() => sim.card.sent.length === n);
  report(`${sim.card.sent.length} replies`);
}

run().catch((error: Error) => report(`failed: ${error.message}\n${error.stack}`));
