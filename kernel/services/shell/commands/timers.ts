import { timer_stats_text } from "../../../time/timer";
import { register_command } from "../command";

register_command({
  name: "timers",
  usage: "timers",
  description: "pending timers and how late they fire (cat /proc/timer_stats)",
  run(ctx) {
    ctx.tty.write(timer_stats_text());
  },
});
