// The kernel command line: words separated by spaces, each `name=value` or
// a bare `name`, as Linux's parse_args() splits them. Every reader looks its
// parameters up here by name, and the line is split once, not matched whole
// by a regular expression for each parameter (each match cost the guest
// thousands of instructions, a `new RegExp` tens of thousands).

let parsed_line: string | null = null;
let parsed = new Map<string, string>();

/** The parameters of `cmdline` by name, "" for a bare word; a name given twice keeps its last value, as in Linux. */
export function parse_cmdline(cmdline: string): Map<string, string> {
  const params = new Map<string, string>();
  for (const word of cmdline.split(" ")) {
    if (word === "") continue;
    const eq = word.indexOf("=");
    if (eq < 0) params.set(word, "");
    else params.set(word.slice(0, eq), word.slice(eq + 1));
  }
  return params;
}

/** `name`'s value on `cmdline`, or undefined if it is not there. The last line asked about stays parsed. */
export function cmdline_param(cmdline: string, name: string): string | undefined {
  if (cmdline !== parsed_line) {
    parsed = parse_cmdline(cmdline);
    parsed_line = cmdline;
  }
  return parsed.get(name);
}

/** `name`'s value as a whole number (digits only), or `fallback` if it is missing or not one. */
export function cmdline_uint(cmdline: string, name: string, fallback: number): number {
  const value = cmdline_param(cmdline, name);
  return value !== undefined && /^\d+$/.test(value) ? Number(value) : fallback;
}

/** `name`'s value as a number of seconds (digits, with a fraction or not), or `fallback` if it is missing or not one. */
export function cmdline_seconds(cmdline: string, name: string, fallback: number): number {
  const value = cmdline_param(cmdline, name);
  return value !== undefined && /^\d+(\.\d+)?$/.test(value) ? Number(value) : fallback;
}

/** The line as the log may show it: anyone can read the log, so the value of every `...password=` is masked. */
export function cmdline_masked(cmdline: string): string {
  if (!cmdline.includes("password=")) return cmdline;
  return cmdline
    .split(" ")
    .map((word) => {
      const eq = word.indexOf("=");
      return eq > 0 && word.slice(0, eq).endsWith("password") ? `${word.slice(0, eq)}=***` : word;
    })
    .join(" ");
}
