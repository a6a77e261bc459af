// Who is on which terminal (Linux's utmp): telnetd adds a session when a
// connection comes in and removes it when the connection ends; `who` reads
// the table. Neither needs to know the other.
import type { Tty } from "../tty/tty";

/** One terminal session. */
export interface UtmpEntry {
  readonly tty: Tty;
  /** The user once logged in, else null. */
  readonly user: string | null;
  /** Where the connection came from, "ADDR:PORT". */
  readonly peer: string;
  /** When the user logged in: wall-clock ms since 1970 (the runtime reads the CMOS clock at boot). */
  readonly login_time_ms: number;
  /** The network namespace the session came in on. */
  readonly netns_name: string;
}

/** The sessions there are, oldest first. */
export const utmp: UtmpEntry[] = [];
