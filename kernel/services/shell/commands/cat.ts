import { proc_list, proc_read } from "../../../fs/procfs";
import { register_command } from "../command";

register_command({
  name: "cat",
  usage: "cat FILE...",
  description: "print /proc files (no FILE: list them)",
  run(ctx) {
    if (ctx.argv.length < 2) {
      ctx.println(proc_list().join("\n"));
      return;
    }
    for (const path of ctx.argv.slice(1)) {
      const text = proc_read(path);
      if (text === null) ctx.println(`cat: ${path}: No such file or directory`);
      else ctx.tty.write(text);
    }
  },
});
