// /proc: a read-only registry of generated files. A subsystem registers a
// file with one line, e.g. proc_create("net/softnet_stat", show_softnet);
// the text is generated afresh on every read.
export type ProcShow = () => string;

const files = new Map<string, ProcShow>();

/** Register (or replace) /proc/<name>. */
export function proc_create(name: string, show: ProcShow): void {
  files.set(proc_name(name), show);
}

export function proc_remove(name: string): void {
  files.delete(proc_name(name));
}

/** The text of a /proc file, or null if there is no such file. */
export function proc_read(path: string): string | null {
  const show = files.get(proc_name(path));
  return show ? show() : null;
}

/** Every registered path, sorted, as /proc/<name>. */
export function proc_list(): string[] {
  return Array.from(files.keys(), (name) => "/proc/" + name).sort();
}

/**
 * "/proc/uptime", "proc/uptime" and "uptime" all name the same file. (String
 * calls, not a regex replace: each of those costs the guest thousands of
 * instructions, and every file registered at boot passes here.)
 */
function proc_name(path: string): string {
  let name = path.startsWith("/proc/") ? path.slice(6) : path.startsWith("proc/") ? path.slice(5) : path;
  while (name.startsWith("/")) name = name.slice(1);
  return name;
}
