// ping: ICMP echo through an echo endpoint of the shell's namespace.
import { hal } from "../../../../hal/current";
import { is_eintr } from "../../../../lib/error";
import { current_netns } from "../../../../net/namespaces";
import { IcmpEndpoint } from "../../../../../net/socket/api";
import { IcmpSocket } from "../../../../../net/socket/icmp";
import { ipv4, ipv4_to_string } from "../../../../../net/wire/address";
import { register_command, ShellContext, UsageError } from "../../command";

let next_ident = 0x4e50;

interface PingOptions {
  count: number;
  interval_s: number;
  size: number;
  target: number;
}

function parse(argv: string[]): PingOptions {
  const options = { count: 4, interval_s: 1, size: 56, target: -1 };
  for (let i = 1; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const v = Number(argv[++i]);
      if (!(v >= 0) || argv[i] === undefined) throw new Error(`bad value for ${arg}`);
      return v;
    };
    if (arg === "-c") options.count = Math.floor(value());
    else if (arg === "-i") options.interval_s = value();
    else if (arg === "-s") options.size = Math.floor(value());
    else if (options.target < 0) {
      try {
        options.target = ipv4(arg);
      } catch {
        throw new Error(`${arg}: Name or service not known`);
      }
    } else throw new UsageError();
  }
  if (options.target < 0) throw new UsageError();
  if (options.size > 1472) throw new Error("packet size too large (max 1472 without fragments)");
  if (options.interval_s < 0.01) throw new Error("cannot flood; minimal interval is 0.01 s");
  return options;
}

async function ping(ctx: ShellContext): Promise<void> {
  const o = parse(ctx.argv);
  const ns = current_netns();
  if (ns.route(o.target) === null) throw new Error("connect: Network is unreachable");
  const tty = ctx.tty;
  const endpoint = new IcmpEndpoint(ns.context, next_ident++, new IcmpSocket(16, 16 * (o.size + 64)));
  const socket = endpoint.socket;
  const payload = new Uint8Array(o.size);
  for (let i = 0; i < payload.length; i++) payload[i] = i & 0xff;
  const reply = new Uint8Array(o.size);
  const sent_at: number[] = [];
  const rtts: number[] = [];
  const target = ipv4_to_string(o.target);
  ctx.println(`PING ${target} (${target}) ${o.size}(${o.size + 28}) bytes of data.`);
  const start = hal.now_us();
  let transmitted = 0;
  try {
    for (let seq = 1; seq <= o.count && !tty.interrupted; seq++) {
      sent_at[seq] = hal.now_us();
      if (!endpoint.send_echo(o.target, seq, payload)) ctx.println("ping: send buffer full");
      transmitted++;
      // Wait for replies until the next send is due (or, after the last, up to 2 s).
      const until = sent_at[seq] + (seq === o.count ? Math.max(2, o.interval_s) : o.interval_s) * 1e6;
      for (;;) {
        const left = until - hal.now_us();
        if (left <= 0) break;
        await endpoint.wait_reply(left);
        while (socket.recv_echo(reply) >= 0) {
          const got = socket.last_seq_no;
          if (socket.last_src_addr !== o.target || !(sent_at[got] > 0)) continue;
          const rtt_ms = (hal.now_us() - sent_at[got]) / 1000;
          sent_at[got] = -1; // a duplicate reply is not counted twice
          rtts.push(rtt_ms);
          ctx.println(`${o.size + 8} bytes from ${target}: icmp_seq=${got} time=${rtt_ms.toFixed(3)} ms`);
        }
        if (seq === o.count && rtts.length === transmitted) break;
      }
    }
  } catch (error) {
    if (!is_eintr(error)) throw error; // Ctrl-C: stop, and print the statistics
  } finally {
    endpoint.close();
  }
  tty.take_interrupt();
  const elapsed_ms = Math.round((hal.now_us() - start) / 1000);
  const loss = transmitted ? Math.round((100 * (transmitted - rtts.length)) / transmitted) : 0;
  ctx.println(`--- ${target} ping statistics ---`);
  ctx.println(`${transmitted} packets transmitted, ${rtts.length} received, ${loss}% packet loss, time ${elapsed_ms}ms`);
  if (rtts.length) {
    const min = Math.min(...rtts);
    const max = Math.max(...rtts);
    const avg = rtts.reduce((a, b) => a + b, 0) / rtts.length;
    const mdev = Math.sqrt(rtts.reduce((a, b) => a + (b - avg) ** 2, 0) / rtts.length);
    ctx.println(`rtt min/avg/max/mdev = ${min.toFixed(3)}/${avg.toFixed(3)}/${max.toFixed(3)}/${mdev.toFixed(3)} ms`);
  }
}

register_command({
  name: "ping",
  usage: "ping [-c COUNT] [-i SECONDS] [-s SIZE] ADDRESS",
  description: "send ICMP echo requests and report round-trip times",
  run: ping,
});
