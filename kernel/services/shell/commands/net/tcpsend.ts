// tcpsend: stream bytes to a discard service (port 9), optionally paced, and
// report the rate. Paced small writes leave the receiver's ACKs to its
// delayed-ACK timer, which is what netns_poll's lateness figures measure.
import { hal } from "../../../../hal/current";
import { msleep } from "../../../../sched/sched";
import { current_netns } from "../../../../net/namespaces";
import { DISCARD_PORT } from "../../../inetd";
import { tcp_connect } from "../../../../../net/socket/api";
import { ipv4 } from "../../../../../net/wire/address";
import { register_command, UsageError } from "../../command";

/** Paced writes are small; an unpaced stream writes as a bulk sender does, in large chunks. */
const PACED_WRITE_SIZE = 512;
const BULK_WRITE_SIZE = 64 * 1024;

register_command({
  name: "tcpsend",
  usage: "tcpsend [-i MS] ADDRESS BYTES",
  description: "send BYTES to ADDRESS's discard service, in 64 KiB writes (as bulk senders write), or 512-byte writes MS apart",
  async run(ctx) {
    const args = ctx.argv.slice(1);
    let interval_ms = 0;
    if (args[0] === "-i") {
      interval_ms = Number(args[1]);
      args.splice(0, 2);
    }
    const total = Number(args[1]);
    if (args.length !== 2 || !(interval_ms >= 0) || !(total >= 1)) throw new UsageError();
    let addr: number;
    try {
      addr = ipv4(args[0]);
    } catch {
      throw new Error(`${args[0]}: not an IPv4 address`);
    }
    const start = hal.now_us();
    const stream = await tcp_connect(current_netns().context, addr, DISCARD_PORT);
    const write_size = interval_ms > 0 ? PACED_WRITE_SIZE : BULK_WRITE_SIZE;
    const chunk = new Uint8Array(write_size).fill(0x6e);
    let sent = 0;
    while (sent < total && !ctx.tty.interrupted) {
      const n = Math.min(write_size, total - sent);
      await stream.write(chunk.subarray(0, n));
      sent += n;
      if (interval_ms > 0) await msleep(interval_ms);
    }
    await stream.close();
    const seconds = (hal.now_us() - start) / 1e6;
    ctx.println(`tcpsend: ${sent} bytes in ${seconds.toFixed(3)} s (${((sent * 8) / seconds / 1e3).toFixed(1)} kbit/s)`);
  },
});
