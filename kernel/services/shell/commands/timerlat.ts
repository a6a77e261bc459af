// timerlat: how late a sleeping thread wakes, as rtla timerlat measures it on
// Linux. The shell thread sleeps PERIOD µs COUNT times; each time, lateness
// is the time it runs again minus the time it asked for.
import { hal } from "../../../hal/current";
import { usleep } from "../../../sched/sched";
import { LatenessStats } from "../../../time/lateness";
import { register_command, UsageError } from "../command";

register_command({
  name: "timerlat",
  usage: "timerlat [-c COUNT] [-p PERIOD_US]",
  description: "measure thread wakeup lateness of COUNT sleeps (default 200 of 1000 us)",
  async run(ctx) {
    let count = 200;
    let period_us = 1000;
    for (let i = 1; i < ctx.argv.length; i += 2) {
      const value = Number(ctx.argv[i + 1]);
      if (!(value >= 1 && value <= 1e7)) throw new UsageError();
      if (ctx.argv[i] === "-c") count = Math.floor(value);
      else if (ctx.argv[i] === "-p") period_us = value;
      else throw new UsageError();
    }
    const stats = new LatenessStats();
    for (let i = 0; i < count && !ctx.tty.interrupted; i++) {
      const wanted = hal.now_us() + period_us;
      await usleep(period_us);
      stats.record(hal.now_us() - wanted);
    }
    const s = stats.summary();
    ctx.println(
      `timerlat: ${s.count} wakeups of ${period_us} us: lateness p50 ${Math.round(s.p50_us)} us, p99 ${Math.round(s.p99_us)} us, max ${Math.round(s.max_us)} us`,
    );
  },
});
