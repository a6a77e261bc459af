// The guest's entry point, run by the C runtime: the real machine's HAL, the
// kernel core, then the hardware found on this board (PCI, and the network
// cards on it), and the scheduler forever.
import { net_init } from "./net/net_init";
import { proc_net_init } from "./net/proc_net";
import { pci_enumerate } from "../drivers/pci/enumerate";
import { set_copy_helper } from "../net/wire/bytes";
import { set_checksum_helper } from "../net/wire/checksum";
import { guest_hal } from "./hal/guest";
import { kernel_start } from "./main";
import { sched_run } from "./sched/sched";

const hal = guest_hal();
// Byte crunching is ~100x slower in guest JavaScript than in C: the stack
// checksums and copies with the runtime's native helpers.
set_checksum_helper(hal.checksum);
set_copy_helper(hal.copy);
kernel_start(hal);
net_init(pci_enumerate());
proc_net_init();
void sched_run();
