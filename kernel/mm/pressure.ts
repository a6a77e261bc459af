// Memory pressure: whether the JS heap is close enough to its limit that
// new work must be refused so that the work in hand can finish (Linux's
// tcp_memory_pressure and its kin, for the one heap napkin has). QuickJS may
// hold at most js_limit bytes of the C heap (boot/runtime.c); once
// hal.heap_used() comes within a margin of that, memory is short, and it
// stays short until usage falls well below again (hysteresis, so a heap
// near the line does not flap). The net core asks before every new socket
// (net/socket/admission.ts); `mem` shows the state and what was refused.
import { hal } from "../hal/current";
import { pr_info, pr_warn } from "../log";

/** The smallest margin below the limit at which memory counts as short, bytes. */
const MIN_MARGIN = 1024 * 1024;

/** What `mem` and /proc show of memory pressure. */
export interface MemPressureStats {
  /** Memory is short now. */
  short: boolean;
  /** The heap in use when last looked at, and the most QuickJS may hold. */
  used: number;
  limit: number;
  /** Memory becomes short above this many bytes in use, and stops being short below `leave_at`. */
  enter_at: number;
  leave_at: number;
  /** Times memory became short. */
  episodes: number;
  /** New sockets (and connections) refused because memory was short. */
  refused: number;
}

const state: MemPressureStats = { short: false, used: 0, limit: 0, enter_at: Infinity, leave_at: Infinity, episodes: 0, refused: 0 };
let short_since_us = 0;

const kib = (bytes: number) => `${Math.round(bytes / 1024)} KiB`;

/** Set the thresholds from the machine's limit (at boot; tests again after changing it). */
export function mm_pressure_init(): void {
  const limit = hal.mem_limits().js_limit;
  const margin = Math.max(MIN_MARGIN, Math.floor(limit / 8));
  state.limit = limit;
  state.enter_at = limit - margin;
  state.leave_at = limit - margin - (margin >> 1);
  state.short = false;
  state.episodes = state.refused = 0;
}

/** Whether memory is short now (looks at the heap: a cheap native call). */
export function mem_short(): boolean {
  const used = (state.used = hal.heap_used());
  if (!state.short && used >= state.enter_at) {
    state.short = true;
    state.episodes++;
    short_since_us = hal.now_us();
    say(() =>
      pr_warn(
        `mm: memory is short (${kib(used)} of ${kib(state.limit)} in use): new connections are refused until below ${kib(state.leave_at)}`,
      ),
    );
  } else if (state.short && used < state.leave_at) {
    state.short = false;
    say(() =>
      pr_info(
        `mm: memory pressure over after ${((hal.now_us() - short_since_us) / 1e6).toFixed(1)} s (${kib(used)} in use); ${state.refused} refused so far`,
      ),
    );
  }
  return state.short;
}

/** Log a change of state; if even that finds no memory, the state changed all the same. */
function say(log: () => void): void {
  try {
    log();
  } catch {
    // Out of memory for the message: `mem` still tells.
  }
}

/** For whoever is about to make something new: true (and counted) if memory is too short to. */
export function mem_refuse_new(): boolean {
  if (!mem_short()) return false;
  state.refused++;
  return true;
}

/** The state as of now, for `mem`. */
export function mem_pressure_stats(): Readonly<MemPressureStats> {
  mem_short();
  return state;
}
