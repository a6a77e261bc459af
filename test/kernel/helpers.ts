// Shared test scaffolding: a booted kernel on the simulated machine.
import { SimHal } from "../../kernel/hal/sim";
import { kernel_start, Kernel } from "../../kernel/main";
import { set_hal } from "../../kernel/hal/current";
import { irq_init } from "../../kernel/irq/irq";
import { log_reset } from "../../kernel/log";
import { sched_reset, sched_run_until } from "../../kernel/sched/sched";
import { pending_timer_count } from "../../kernel/time/timer";
import { PROMPT } from "../../kernel/services/shell/shell";

export interface Booted {
  sim: SimHal;
  kernel: Kernel;
}

/** Boot to the first shell prompt. */
export async function boot(): Promise<Booted> {
  const sim = new SimHal();
  const kernel = kernel_start(sim);
  await settle(sim, () => sim.output.endsWith(PROMPT));
  return { sim, kernel };
}

/** Run the kernel until idle with `until()` true; fail after 600 simulated seconds. */
export async function settle(sim: SimHal, until: () => boolean = () => true): Promise<void> {
  if (!(await sched_run_until(until))) throw new Error("condition never held; console:\n" + sim.output);
}

/** Type a line at the console and return what the shell printed up to the next prompt. */
export async function type_line(sim: SimHal, line: string): Promise<string> {
  const start = sim.output.length;
  sim.type(line + "\r");
  await settle(sim, () => sim.output.indexOf(PROMPT, start + line.length) >= 0);
  return sim.output.slice(start);
}

/** A bare machine with the core reset, for tests below the shell. */
export function fresh_sim(): SimHal {
  return fresh_machine(new SimHal());
}

/** The same with a machine of the test's own (one with fake devices on it). */
export function fresh_machine<M extends SimHal>(sim: M): M {
  set_hal(sim);
  log_reset();
  sched_reset();
  irq_init();
  return sim;
}

/** Run until nothing is runnable and no timer is pending: every thread has finished or waits for good. */
export function run_idle(): Promise<boolean> {
  return sched_run_until(() => pending_timer_count() === 0);
}
