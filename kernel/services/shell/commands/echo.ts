import { register_command } from "../command";

register_command({
  name: "echo",
  usage: "echo [WORD...]",
  description: "print the words",
  run(ctx) {
    ctx.println(ctx.argv.slice(1).join(" "));
  },
});
