import { command_list, register_command } from "../command";

register_command({
  name: "help",
  usage: "help",
  description: "list the commands",
  run(ctx) {
    const commands = command_list();
    const width = Math.max(...commands.map((command) => command.usage.length)) + 2;
    for (const command of commands) ctx.println("  " + command.usage.padEnd(width) + command.description);
  },
});
