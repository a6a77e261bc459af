// The console shell: prompt, read a line, run the command, repeat. It works
// on any Tty, so a telnet session can run one too.
import { is_eintr, is_watchdog_interrupt } from "../../lib/error";
import { pr_warn } from "../../log";
import { current_thread, kthread_run } from "../../sched/sched";
import { flush_signals } from "../../sched/signal";
import type { Tty } from "../../tty/tty";
import { find_command, register_command, UsageError } from "./command";
import "./commands";
import { LineEditor } from "./line_editor";

export const PROMPT = "napkin# ";

/**
 * Run a shell on `tty` in its own thread, restarted if it dies (as init
 * respawns a getty): a command that trips the watchdog must not take the
 * console with it.
 */
export function start_shell(tty: Tty, name = "sh"): void {
  const thread = kthread_run(name, () => shell_main(tty));
  thread.on_exit = () => {
    pr_warn(`${name} on ${tty.name} died, restarting it`);
    start_shell(tty, name);
  };
}

/** The shell loop; it returns once the terminal hangs up (the session ended). */
export async function shell_main(tty: Tty): Promise<void> {
  const editor = new LineEditor(tty);
  while (!tty.hung_up) {
    tty.write(PROMPT);
    const line = await editor.read_line();
    if (line !== null) await run_command_line(tty, line);
  }
}

export async function run_command_line(tty: Tty, line: string): Promise<void> {
  const argv = line.split(/\s+/).filter((word) => word !== "");
  if (argv.length === 0) return;
  const command = find_command(argv[0]);
  if (!command) {
    tty.write(`napkin: ${argv[0]}: command not found\n`);
    return;
  }
  const thread = current_thread();
  tty.take_interrupt(); // a stale Ctrl-C must not stop the new command
  tty.foreground = thread;
  try {
    await command.run({ tty, argv, println: (text) => tty.write(text + "\n") });
  } catch (error) {
    // The guest's watchdog error cannot be caught; don't catch the sim's either.
    if (is_watchdog_interrupt(error)) throw error;
    if (error instanceof UsageError) tty.write(`usage: ${command.usage}\n`);
    else if (!is_eintr(error)) {
      tty.write(`napkin: ${argv[0]}: ${error instanceof Error ? error.message : String(error)}\n`);
    }
  } finally {
    tty.foreground = null;
    if (thread) flush_signals(thread);
  }
  if (tty.take_interrupt()) tty.write("^C\n");
}

// exit and logout end the session the shell runs in; the console has none.
for (const name of ["exit", "logout"]) {
  register_command({
    name,
    usage: name,
    description: "end this session (telnet); the serial console stays",
    run(ctx) {
      if (ctx.tty.on_logout) ctx.tty.on_logout();
      else ctx.println(`${name}: ${ctx.tty.name} is the console; there is no session to end`);
    },
  });
}
