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
import { ping_namespace, run_rounds } from "./kernel_machine";
import { use_natives } from "./scenario";

use_natives();

const sim = fresh_machine(new Ne2000Machine(OUR_MAC_BYTES));
softnet_data.reset();
napi_init();
const dev = Ne2000.probe(sim.pci(), "eth0");
if (!dev) throw new Error("the NE2000 did not probe");
ping_namespace(dev);
const request = echo_request();

run_rounds(
  sim,
  () => sim.card.receive(request),
  () => sim.card.sent.length,
  "replies",
);
