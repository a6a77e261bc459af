import { show_interrupts } from "../../../irq/proc_interrupts";
import { register_command } from "../command";

register_command({
  name: "irqs",
  usage: "irqs",
  description: "interrupt counts per line (cat /proc/interrupts)",
  run(ctx) {
    ctx.tty.write(show_interrupts());
  },
});
