import { dmesg_text } from "../../../log";
import { register_command } from "../command";

register_command({
  name: "dmesg",
  usage: "dmesg",
  description: "print the kernel log",
  run(ctx) {
    ctx.tty.write(dmesg_text());
  },
});
