// One round: a small datagram arrives while the kernel idles, and inetd's
// discard service takes it: the whole kernel's path on the simulated machine
// (kernel/hal/sim.ts), as kernel-ping has it for a ping, with the socket
// waking discardd-udp, its read, and its next sleep before the idle loop.
import { DISCARD_PORT } from "../../../kernel/services/inetd";
import { udp_datagram } from "./frames";
import { discard_machine, InterruptingNic, IRQ, run_rounds } from "./kernel_machine";
import { use_natives } from "./scenario";

use_natives();
const { sim, ns, dev: nic } = discard_machine(() => new InterruptingNic());
const datagram = udp_datagram(DISCARD_PORT, 18);
const socket = ns.sockets.udp.find((s) => s.local_port === DISCARD_PORT)!;

run_rounds(
  sim,
  () => {
    nic.ring.push(datagram);
    sim.raise_irq(IRQ);
  },
  // Read by the service: delivered to its socket, and no longer queued there.
  () => nic.iface.stats.udp_in_datagrams - socket.rx.count,
  "datagrams read",
);
