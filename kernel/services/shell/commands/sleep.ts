import { wait_event_timeout } from "../../../sched/waitqueue";
import { register_command, UsageError } from "../command";

register_command({
  name: "sleep",
  usage: "sleep SECONDS",
  description: "wait SECONDS (fractions allowed); Ctrl-C stops it",
  async run(ctx) {
    const seconds = ctx.argv.length === 2 ? Number(ctx.argv[1]) : NaN;
    if (!(seconds >= 0 && seconds < Infinity)) throw new UsageError();
    const tty = ctx.tty;
    await wait_event_timeout(tty.wq, () => tty.interrupted, seconds * 1e6);
  },
});
