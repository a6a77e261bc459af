import { hal } from "../../../hal/current";
import { idle_stats } from "../../../sched/sched";
import { register_command } from "../command";

register_command({
  name: "uptime",
  usage: "uptime",
  description: "time since boot, and how much of it was idle",
  run(ctx) {
    const up_us = hal.now_us();
    const seconds = Math.floor(up_us / 1e6);
    const hms = `${Math.floor(seconds / 3600)}:${String(Math.floor(seconds / 60) % 60).padStart(2, "0")}:${String(seconds % 60).padStart(2, "0")}`;
    const idle_percent = up_us > 0 ? (100 * idle_stats().idle_us) / up_us : 0;
    ctx.println(`up ${(up_us / 1e6).toFixed(6)} s (${hms}), idle ${idle_percent.toFixed(1)}%`);
  },
});
