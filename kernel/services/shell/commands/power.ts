import { hal } from "../../../hal/current";
import { register_command } from "../command";

register_command({
  name: "poweroff",
  usage: "poweroff",
  description: "switch the machine off",
  run(ctx) {
    ctx.println("Power down.");
    hal.poweroff(0);
  },
});

register_command({
  name: "reboot",
  usage: "reboot",
  description: "restart the machine",
  run(ctx) {
    ctx.println("Restarting system.");
    hal.reboot();
  },
});
