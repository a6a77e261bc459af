// The guest's entry point, run by the C runtime. It wires the layers
// together from the bottom up: the real machine's HAL, the kernel core and
// the console, the net core, the drivers for the hardware found on this
// board, then the services, and the scheduler forever.
import { net_probe_pci } from "../drivers/net/probe";
import { pci_enumerate } from "../drivers/pci/enumerate";
import { set_hsiphash_helper } from "../net/socket/hsiphash";
import { set_copy_helper } from "../net/wire/bytes";
import { set_checksum_helper, set_copy_checksum_helper } from "../net/wire/checksum";
import { guest_hal } from "./hal/guest";
import { kernel_start } from "./main";
import { init_net } from "./net/namespaces";
import { net_core_init } from "./net/net_init";
import { sched_run } from "./sched/sched";
import { inetd_init } from "./services/inetd";
import { net_config_start } from "./services/net_config";
import { telnetd_options, telnetd_start } from "./services/telnetd/telnetd";

const hal = guest_hal();
// Byte crunching is ~100x slower in guest JavaScript than in C: the stack
// checksums, copies and hashes with the runtime's native helpers.
set_checksum_helper(hal.checksum);
set_copy_helper(hal.copy);
set_copy_checksum_helper(hal.copy_checksum);
set_hsiphash_helper(hal.hsiphash);
kernel_start(hal);
net_core_init();
const cards = net_probe_pci(pci_enumerate());
net_config_start(cards, hal.cmdline);
inetd_init();
telnetd_start(init_net, telnetd_options(hal.cmdline));
void sched_run();
