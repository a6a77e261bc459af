// top: the threads sorted by the CPU they took in the last second, under a
// header of CPU time, IRQs/s and packets/s (top_screen.ts), redrawn every
// second until q or Ctrl-C. It draws with ANSI codes (cursor home, erase),
// which the serial console and telnet clients both understand.
//
// The command's own thread waits for keys; a second thread, "top", redraws.
// (A terminal read cannot time out, so one thread could not do both.)
import { kthread_run } from "../../../sched/sched";
import { wait_event_timeout, wake_up, WaitQueue } from "../../../sched/waitqueue";
import { register_command, ShellContext } from "../command";
import { BOOT_SAMPLE, format_screen, take_sample } from "./top_screen";

const REFRESH_US = 1_000_000;
const CLEAR_SCREEN = "\x1b[H\x1b[2J";
const CURSOR_HOME = "\x1b[H";
const ERASE_TO_END_OF_LINE = "\x1b[K";
const ERASE_BELOW = "\x1b[J";

/** Redraw every REFRESH_US until `stopped()`. */
async function refresh(ctx: ShellContext, wq: WaitQueue, stopped: () => boolean): Promise<void> {
  let before = BOOT_SAMPLE;
  let prefix = CLEAR_SCREEN;
  while (!stopped()) {
    const now = take_sample();
    const lines = format_screen(before, now, Date.now());
    ctx.tty.write(prefix + lines.map((line) => line + ERASE_TO_END_OF_LINE + "\n").join("") + ERASE_BELOW);
    before = now;
    prefix = CURSOR_HOME;
    await wait_event_timeout(wq, stopped, REFRESH_US);
  }
}

async function top(ctx: ShellContext): Promise<void> {
  const wq = new WaitQueue();
  let done = false;
  kthread_run("top", () => refresh(ctx, wq, () => done));
  const key = new Uint8Array(16);
  try {
    // read() returns 0 for Ctrl-C (taking it) and when the line hangs up.
    for (let n = await ctx.tty.read(key); n > 0; n = await ctx.tty.read(key)) {
      if (key.subarray(0, n).some((byte) => byte === 0x71 /* q */ || byte === 0x51 /* Q */)) break;
    }
  } finally {
    done = true;
    wake_up(wq);
  }
}

register_command({
  name: "top",
  usage: "top",
  description: "threads by CPU, with IRQs/s, packets/s and hard/soft IRQ time, every second until q",
  run: top,
});
