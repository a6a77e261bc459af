// Figures only the guest knows (NAPI polls, time_squeeze, each thread's CPU
// time, the interrupts it took on each line and whose line it is, eth0's
// receive mode, the packets eth0 took
// in and those its stack dropped), fetched without touching the user's
// serial shell: the page logs in over a Telnet session of its own and runs a
// few commands every second. Its own traffic is told apart so the host's
// packet counts can leave it out.
import type { HostStack } from "../hostnet/host_stack";
import { TelnetSession, TELNET_PORT } from "./telnet_session";
import { parse_interrupts, parse_link, parse_napi, parse_ps, parse_softnet_time_squeeze, TIME_SQUEEZE } from "./guest_stats_parse";
import type { Reading } from "./sampler";

const USER = "root";
const PASSWORD = "napkin";
const PROMPT = "napkin# ";

/** What one round of commands found out. */
export interface GuestRound {
  /** Running totals by name. */
  totals: Map<string, number>;
  /** Each IRQ line's handlers, as /proc/interrupts names them (11 -> "eth0"). */
  irq_owners: Map<number, string>;
  /** "napi" or "interrupt". */
  eth0_mode: string | null;
}

/** The name of one of eth0's figures among the totals ("eth0 rx packets"). */
export function eth0_figure(name: string): string {
  return `eth0 ${name}`;
}

const COMMANDS: [string, (text: string, round: GuestRound) => void][] = [
  ["napi", (text, round) => parse_napi(text).forEach((value, name) => round.totals.set(name, value))],
  [
    "cat /proc/net/softnet_stat",
    (text, round) => {
      const time_squeeze = parse_softnet_time_squeeze(text);
      if (!Number.isNaN(time_squeeze)) round.totals.set(TIME_SQUEEZE, time_squeeze);
    },
  ],
  ["ps", (text, round) => parse_ps(text).forEach((value, name) => round.totals.set(name, value))],
  [
    "cat /proc/interrupts",
    (text, round) => {
      const interrupts = parse_interrupts(text);
      round.irq_owners = interrupts.owners;
      interrupts.totals.forEach((value, name) => round.totals.set(name, value));
    },
  ],
  [
    "ip -s link show dev eth0",
    (text, round) => {
      const link = parse_link(text);
      round.eth0_mode = link.mode;
      link.totals.forEach((value, name) => round.totals.set(eth0_figure(name), value));
    },
  ],
];

/** Where the session is: logging in, waiting for work, or inside command number `running`. */
type Phase = "login" | "password" | "shell" | "idle" | "running";

function empty_round(): GuestRound {
  return { totals: new Map(), irq_owners: new Map(), eth0_mode: null };
}

export class GuestStats {
  /** What the latest complete round found (empty until the first completes), and when it completed. */
  latest: GuestRound = empty_round();
  latest_at_ms = 0;
  private readonly session: TelnetSession;
  private phase: Phase = "login";
  private output = "";
  private running = 0;
  private round = empty_round();
  private readonly decoder = new TextDecoder();

  constructor(stack: HostStack, guest: number, interval_ms = 1000) {
    this.session = new TelnetSession(stack, guest, {
      on_connecting: () => {
        this.phase = "login";
        this.output = "";
      },
      on_text: (text) => {
        this.output += this.decoder.decode(text, { stream: true });
        this.step();
      },
      on_closed: () => (this.phase = "login"),
    });
    setInterval(() => this.start_round(), interval_ms);
  }

  /** The running totals of the latest round, for the sampler (null before the first). */
  read(): Reading | null {
    return this.latest_at_ms === 0 ? null : { at_ms: this.latest_at_ms, totals: this.latest.totals };
  }

  /** Whether an Ethernet frame is this session's (IPv4, TCP, between its port and 23). */
  carries(frame: Uint8Array): boolean {
    const port = this.session.local_port;
    if (port === 0 || frame.length < 38 || frame[12] !== 0x08 || frame[13] !== 0x00 || frame[23] !== 6) return false;
    const tcp = 14 + (frame[14] & 0x0f) * 4; // after the IPv4 header, whose length is in its first byte
    const src = (frame[tcp] << 8) | frame[tcp + 1];
    const dst = (frame[tcp + 2] << 8) | frame[tcp + 3];
    return (src === port && dst === TELNET_PORT) || (src === TELNET_PORT && dst === port);
  }

  private step(): void {
    const waiting_for = { login: /login: $/, password: /[Pp]assword: $/, shell: /napkin# $/, running: /napkin# $/, idle: null }[this.phase];
    if (!waiting_for || !waiting_for.test(this.output)) return;
    const output = this.output;
    this.output = "";
    switch (this.phase) {
      case "login":
        this.phase = "password";
        this.session.send(`${USER}\r`);
        break;
      case "password":
        this.phase = "shell";
        this.session.send(`${PASSWORD}\r`);
        break;
      case "shell":
        this.phase = "idle";
        break;
      case "running": {
        const [, parse] = COMMANDS[this.running];
        parse(output.slice(0, -PROMPT.length), this.round);
        this.running++;
        if (this.running < COMMANDS.length) this.session.send(`${COMMANDS[this.running][0]}\r`);
        else {
          this.latest = this.round;
          this.latest_at_ms = performance.now();
          this.phase = "idle";
        }
        break;
      }
    }
  }

  private start_round(): void {
    if (this.phase !== "idle") return;
    this.phase = "running";
    this.output = "";
    this.running = 0;
    this.round = empty_round();
    this.session.send(`${COMMANDS[0][0]}\r`);
  }
}
