// napi: every NAPI instance (one per device, in every namespace) and the round budgets.
import { softnet_data } from "../../../../net/napi";
import { namespaces } from "../../../../net/namespaces";
import { register_command } from "../../command";

register_command({
  name: "napi",
  usage: "napi",
  description: "NAPI instances: state, weight, polls, work done, budget exhaustion, frames GRO merged",
  run(ctx) {
    ctx.println("  ID DEVICE     STATE          WEIGHT     POLLS      WORK  EXHAUSTED GRO_MERGED");
    const devices = namespaces.flatMap((ns) => ns.devices).sort((a, b) => a.napi.napi_id - b.napi.napi_id);
    for (const dev of devices) {
      const n = dev.napi;
      ctx.println(
        `${String(n.napi_id).padStart(4)} ${n.dev_name.padEnd(10)} ${n.state_text().padEnd(14)} ${String(n.weight).padStart(6)} ` +
          `${String(n.polls).padStart(9)} ${String(n.work_done).padStart(9)} ${String(n.budget_exhausted).padStart(10)} ` +
          `${String(dev.iface.stats.rx_gro_merged).padStart(10)}`,
      );
    }
    const s = softnet_data.stat;
    ctx.println(
      `budget ${softnet_data.budget} packets / ${softnet_data.budget_us} us per round; rounds ${s.rounds}, processed ${s.processed}, time_squeeze ${s.time_squeeze}`,
    );
  },
});
