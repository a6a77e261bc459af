import { napi_manager } from "../../../net/napi";
import { register_command } from "../../command";

register_command({
  name: "napi",
  usage: "napi",
  description: "NAPI instances: state, weight, polls, work done, budget exhaustion",
  run(ctx) {
    ctx.println("  ID DEVICE     STATE          WEIGHT     POLLS      WORK  EXHAUSTED");
    for (const n of napi_manager.instances) {
      ctx.println(
        `${String(n.napi_id).padStart(4)} ${n.dev_name.padEnd(10)} ${n.state_text().padEnd(14)} ${String(n.weight).padStart(6)} ` +
          `${String(n.polls).padStart(9)} ${String(n.work_done).padStart(9)} ${String(n.budget_exhausted).padStart(10)}`,
      );
    }
    const s = napi_manager.softnet_stat;
    ctx.println(`budget ${napi_manager.budget} packets / ${napi_manager.budget_us} us per round; rounds ${s.rounds}, processed ${s.processed}, time_squeeze ${s.time_squeeze}`);
  },
});
