// One round: the ping of kernel_ping.ts, through the real virtio-net driver
// against the driver tests' fake device (test/drivers/virtio_fake.ts): the
// interrupt, the used ring taken in the NAPI poll, the buffer posted again,
// the reply sent through the transmit queue and its completion reclaimed.
// The device and the simulated machine's port I/O are JS here where the
// guest has v86, and they are counted too: compare this figure with itself.
import { VirtioNet } from "../../../drivers/net/virtio/virtio_net";
import { softnet_data } from "../../../kernel/net/napi";
import { napi_init } from "../../../kernel/net/napi_handler";
import { VirtioMachine } from "../../../test/drivers/virtio_fake";
import { fresh_machine } from "../../../test/kernel/helpers";
import { echo_request, OUR_MAC_BYTES } from "./frames";
import { ping_namespace, run_rounds } from "./kernel_machine";
import { use_natives } from "./scenario";

use_natives();

const sim = fresh_machine(new VirtioMachine({ mac: OUR_MAC_BYTES }));
softnet_data.reset();
napi_init();
const dev = VirtioNet.probe(sim.pci(), "eth0");
if (!dev) throw new Error("the virtio-net device did not probe");
ping_namespace(dev);
const request = echo_request();

run_rounds(
  sim,
  () => sim.dev.deliver(request),
  () => sim.dev.sent.length,
  "replies",
);
