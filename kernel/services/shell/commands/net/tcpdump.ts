// tcpdump: the frames of a device of the shell's namespace (-i DEV; -i any
// for all of them; by default the first that is up, lo last), through a
// packet tap (kernel/net/tap.ts) whose filter is the expression
// (pcap_filter.ts). One line per frame (tcpdump_line.ts), or with -w - a
// pcap stream on the terminal (pcap_base64.ts). It stops after -c frames, or
// on Ctrl-C, and then says what it captured and what the tap had to drop.
// Over telnet, `not port 23` keeps the session's own output out of it.
import { hal } from "../../../../hal/current";
import { current_netns, find_device } from "../../../../net/namespaces";
import type { NetDevice } from "../../../../net/netdevice";
import type { NetNamespace } from "../../../../net/netns";
import { PacketTap, tap_close, tap_open, TappedFrame, type TapFilter } from "../../../../net/tap";
import { wait_event_interruptible } from "../../../../sched/waitqueue";
import { register_command, ShellContext, UsageError } from "../../command";
import { PacketHeaders } from "./packet_headers";
import { PcapBase64Stream } from "./pcap_base64";
import { compile_filter, FilterSyntaxError } from "./pcap_filter";
import { describe_frame, format_time } from "./tcpdump_line";

/** Bytes kept of each frame: all of any frame napkin's devices carry. */
const SNAPLEN = 65535;

interface TcpdumpOptions {
  /** A device name, "any", or null for the first one that is up. */
  device: string | null;
  count: number;
  numeric: boolean;
  /** -w -: a pcap stream instead of lines. */
  write: boolean;
  expression: string;
}

function parse(argv: string[]): TcpdumpOptions {
  const options: TcpdumpOptions = { device: null, count: Infinity, numeric: false, write: false, expression: "" };
  let i = 1;
  const value = (flag: string): string => {
    const v = argv[++i];
    if (v === undefined) throw new Error(`option ${flag} needs a value`);
    return v;
  };
  for (; i < argv.length && argv[i].startsWith("-") && argv[i] !== "-"; i++) {
    const flag = argv[i];
    if (flag === "-i") options.device = value(flag);
    else if (flag === "-n") options.numeric = true;
    else if (flag === "-c") {
      const count = value(flag);
      if (!/^[1-9]\d{0,15}$/.test(count)) throw new Error(`-c wants a count of packets, not '${count}'`);
      options.count = Number(count);
    } else if (flag === "-w") {
      if (value(flag) !== "-") throw new Error("napkin has no files: -w - writes the capture to the terminal");
      options.write = true;
    } else throw new UsageError();
  }
  options.expression = argv.slice(i).join(" ");
  return options;
}

/** The device named, null for "any", or else the first that is up (not lo, if another is). */
function choose_device(ns: NetNamespace, name: string | null): NetDevice | null {
  if (name === "any") return null;
  if (name !== null) {
    const dev = find_device(ns, name);
    if (dev === undefined) throw new Error(`${name}: No such device exists`);
    if (!dev.up) throw new Error(`${name}: That device is not up`);
    return dev;
  }
  const dev = ns.devices.find((d) => d.up && !d.loopback) ?? ns.devices.find((d) => d.up);
  if (dev === undefined) throw new Error("no suitable device found");
  return dev;
}

function compile(expression: string): TapFilter | null {
  try {
    return compile_filter(expression);
  } catch (error) {
    if (error instanceof FilterSyntaxError) throw new Error(`syntax error in filter expression: ${error.message}`);
    throw error;
  }
}

async function tcpdump(ctx: ShellContext): Promise<void> {
  const o = parse(ctx.argv);
  const filter = compile(o.expression);
  const ns = current_netns();
  const dev = choose_device(ns, o.device);
  const tap = new PacketTap(dev, ns, filter, SNAPLEN);
  const tty = ctx.tty;
  // Frames carry hal.now_us(); lines and pcap records want the wall clock.
  const epoch_offset_us = Date.now() * 1000 - hal.now_us();
  const stream = o.write ? new PcapBase64Stream(SNAPLEN) : null;
  const headers = new PacketHeaders();
  const frame = new TappedFrame();
  const line_options = { numeric: o.numeric };
  let captured = 0;
  ctx.println(`listening on ${dev?.name ?? "any"}, link-type EN10MB (Ethernet), snapshot length ${SNAPLEN} bytes`);
  if (stream !== null) tty.write(stream.begin());
  tap_open(tap);
  try {
    while (captured < o.count) {
      if (!(await wait_event_interruptible(tap.wq, () => tap.pending()))) break; // Ctrl-C
      let text = "";
      for (; captured < o.count && tap.next(frame); captured++) {
        const epoch_us = frame.time_us + epoch_offset_us;
        if (stream !== null) {
          text += stream.frame(epoch_us, frame.buffer, frame.offset, frame.length);
          continue;
        }
        const prefix = dev === null ? `${frame.device!.name} ${frame.direction === "in" ? "In " : "Out"} ` : "";
        text += `${format_time(epoch_us)} ${prefix}${describe_frame(headers.decode(frame.buffer, frame.offset, frame.caplen), frame.length, line_options)}\n`;
      }
      tty.write(text);
    }
  } finally {
    tap_close(tap);
  }
  tty.take_interrupt(); // Ctrl-C ends the capture; the counts are the answer
  if (stream !== null) tty.write(stream.end());
  ctx.println(`${captured} packets captured`);
  ctx.println(`${tap.accepted} packets received by filter`);
  ctx.println(`${tap.dropped} packets dropped by kernel`);
}

register_command({
  name: "tcpdump",
  usage: "tcpdump [-i DEV] [-c N] [-n] [-w -] [EXPR]",
  description: "print the frames a device sends and receives, or write them as pcap (-w -)",
  run: tcpdump,
});
