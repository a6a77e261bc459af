// The kernel entry: bring the subsystems up, start the console shell and run
// the scheduler forever.
import { COM1_BASE, COM1_IRQ, uart16550_init } from "../drivers/serial/uart16550";
import { proc_core_init } from "./fs/proc_core";
import type { Hal } from "./hal/hal";
import { hal, set_hal } from "./hal/current";
import { irq_init } from "./irq/irq";
import { cmdline_masked } from "./lib/cmdline";
import { log_reset, pr_info } from "./log";
import { mm_pressure_init } from "./mm/pressure";
import { sched_reset, sched_run } from "./sched/sched";
import { start_shell } from "./services/shell/shell";
import { Tty } from "./tty/tty";
import { NAPKIN_VERSION } from "./version";
import { trace_setup } from "./lib/trace";

export interface Kernel {
  /** The serial console. */
  console: Tty;
}

/** Everything but running: the threads are created, none has run yet. Tests start here. */
export function kernel_start(machine: Hal): Kernel {
  set_hal(machine);
  trace_setup(hal.cmdline);
  log_reset();
  sched_reset();
  irq_init();
  proc_core_init();
  mm_pressure_init();

  const boot_us = hal.now_us();
  const ram_mib = Math.round(hal.mem_limits().phys_total / (1024 * 1024));
  pr_info(`napkin ${NAPKIN_VERSION} (${hal.kind}): ${ram_mib} MiB RAM, booted in ${(boot_us / 1000).toFixed(3)} ms`);
  if (hal.cmdline) pr_info(`command line: ${cmdline_masked(hal.cmdline)}`);

  const console = new Tty("ttyS0", (text) => hal.console_write(text));
  uart16550_init(COM1_BASE, COM1_IRQ, console);
  start_shell(console);
  return { console };
}

/** Boot and run forever. */
export function kernel_main(machine: Hal): Promise<void> {
  kernel_start(machine);
  return sched_run();
}
