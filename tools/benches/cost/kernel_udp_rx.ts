// One round: a small datagram arrives while the kernel idles, and inetd's
// discard service takes it: the whole kernel's path on the simulated machine
// (kernel/hal/sim.ts), as kernel-ping has it for a ping, with the socket
// waking discardd-udp, its read, and its next sleep before the idle loop.
import { request_irq, IRQ_HANDLED, IRQ_NONE } from "../../../kernel/irq/irq";
import { register_netdev } from "../../../kernel/net/dev";
import { netns_add } from "../../../kernel/net/namespaces";
import { softnet_data } from "../../../kernel/net/napi";
import { napi_init } from "../../../kernel/net/napi_handler";
import { sched_run_until } from "../../../kernel/sched/sched";
import { DISCARD_PORT, inetd_init } from "../../../kernel/services/inetd";
import { FakeNic } from "../../../test/kernel/fake_nic";
import { fresh_sim } from "../../../test/kernel/helpers";
import { OUR_MAC, PEER, PEER_MAC, udp_datagram, US } from "./frames";
import { INTERVAL_US } from "./ping_namespace";
import { report, rounds, use_natives } from "./scenario";

use_natives();
const IRQ = 11;

/** FakeNic with an interrupt line, as kernel_ping.ts has it. */
class InterruptingNic extends FakeNic {
  constructor() {
    super("eth0", OUR_MAC);
    request_irq(IRQ, () => this.interrupt(), "eth0", { threaded: false });
  }

  private interrupt(): typeof IRQ_HANDLED | typeof IRQ_NONE {
    if (this.ring.length === 0) return IRQ_NONE;
    this.rx_interrupt();
    return IRQ_HANDLED;
  }
}

const sim = fresh_sim();
softnet_data.reset();
napi_init();
inetd_init();
const ns = netns_add("test");
const nic = new InterruptingNic();
register_netdev(nic, ns);
nic.iface.add_address(US, 24);
nic.iface.arp_cache.fill(0, PEER, PEER_MAC);
const datagram = udp_datagram(DISCARD_PORT, 18);
const socket = ns.sockets.udp.find((s) => s.local_port === DISCARD_PORT)!;

async function run(): Promise<void> {
  await sched_run_until(() => true); // the threads have started and sleep
  const n = rounds();
  let arrived = 0;
  const arrive = (): void => {
    nic.ring.push(datagram);
    sim.raise_irq(IRQ);
    if (++arrived < n) sim.at(sim.now_us() + INTERVAL_US, arrive);
  };
  sim.at(sim.now_us() + INTERVAL_US, arrive);
  await sched_run_until(() => arrived === n && nic.ring.length === 0 && !socket.can_recv());
  report(`${nic.iface.stats.udp_in_datagrams} datagrams delivered`);
}

run().catch((error: Error) => report(`failed: ${error.message}\n${error.stack}`));
