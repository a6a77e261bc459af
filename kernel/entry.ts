// The guest's entry point, run by the C runtime: the real machine's HAL, the
// kernel core, then the hardware found on this board (PCI, and the network
// cards on it), and the scheduler forever.
import { net_init } from "./net/net_init";
import { proc_net_init } from "./net/proc_net";
import { pci_enumerate } from "../drivers/pci/enumerate";
import { guest_hal } from "./hal/guest";
import { kernel_start } from "./main";
import { sched_run } from "./sched/sched";

kernel_start(guest_hal());
net_init(pci_enumerate());
proc_net_init();
void sched_run();
