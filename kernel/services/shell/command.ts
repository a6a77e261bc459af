// The shell's command registry. Each command lives in its own small file
// under commands/ and registers itself with register_command().
import type { Tty } from "../../tty/tty";

export interface ShellContext {
  tty: Tty;
  /** argv[0] is the command name. */
  argv: string[];
  /** Write text followed by a newline. */
  println(text: string): void;
}

export interface Command {
  name: string;
  /** e.g. "sleep SECONDS" */
  usage: string;
  /** One line for `help`. */
  description: string;
  run(ctx: ShellContext): void | Promise<void>;
}

const commands = new Map<string, Command>();

export function register_command(command: Command): void {
  commands.set(command.name, command);
}

export function find_command(name: string): Command | undefined {
  return commands.get(name);
}

/** All commands, by name. */
export function command_list(): Command[] {
  return Array.from(commands.values()).sort((a, b) => (a.name < b.name ? -1 : 1));
}

/** Thrown by a command for a usage error; the shell prints "usage: ...". */
export class UsageError extends Error {}
