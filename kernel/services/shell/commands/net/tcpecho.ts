// tcpecho: send a test pattern through a TCP echo service (port 7) and check
// that every byte comes back in order: a byte-exact transfer test, with the
// throughput it reached.
import { hal } from "../../../../hal/current";
import { kthread_run } from "../../../../sched/sched";
import { current_netns } from "../../../../net/namespaces";
import { tcp_connect } from "../../../../../net/socket/api";
import { ipv4 } from "../../../../../net/wire/address";
import { ECHO_PORT } from "../../../inetd";
import { register_command, UsageError } from "../../command";

const CHUNK = 4096;

/** Byte i of the pattern: not periodic in any small power of two, so a misplaced chunk shows. */
function pattern_byte(i: number): number {
  return (i * 7 + (i >>> 10) * 13) & 0xff;
}

register_command({
  name: "tcpecho",
  usage: "tcpecho ADDRESS [BYTES]",
  description: "send BYTES (default 65536) through ADDRESS's echo service and check them",
  async run(ctx) {
    if (ctx.argv.length < 2 || ctx.argv.length > 3) throw new UsageError();
    let addr: number;
    try {
      addr = ipv4(ctx.argv[1]);
    } catch {
      throw new Error(`${ctx.argv[1]}: not an IPv4 address`);
    }
    const total = ctx.argv[2] === undefined ? 65536 : Number(ctx.argv[2]);
    if (!(total >= 1 && total <= 64 * 1024 * 1024)) throw new UsageError();
    const start = hal.now_us();
    const stream = await tcp_connect(current_netns().context, addr, ECHO_PORT);
    // The writer is a thread of its own, so reading and writing overlap.
    let write_error: unknown = null;
    kthread_run("tcpecho-tx", async () => {
      const chunk = new Uint8Array(CHUNK);
      try {
        for (let sent = 0; sent < total; sent += CHUNK) {
          const n = Math.min(CHUNK, total - sent);
          for (let i = 0; i < n; i++) chunk[i] = pattern_byte(sent + i);
          await stream.write(chunk.subarray(0, n));
        }
      } catch (error) {
        write_error = error;
      }
    });
    const buffer = new Uint8Array(CHUNK);
    let received = 0;
    let mismatch = -1;
    while (received < total && mismatch < 0 && !ctx.tty.interrupted) {
      const n = await stream.read(buffer);
      if (n === 0) break;
      for (let i = 0; i < n && mismatch < 0; i++) if (buffer[i] !== pattern_byte(received + i)) mismatch = received + i;
      received += n;
    }
    await stream.close();
    if (write_error) throw write_error;
    if (mismatch >= 0) throw new Error(`byte ${mismatch} came back wrong`);
    if (received < total) throw new Error(`only ${received} of ${total} bytes came back`);
    const seconds = (hal.now_us() - start) / 1e6;
    ctx.println(
      `tcpecho: ${total} bytes echoed byte-exact in ${seconds.toFixed(3)} s (${((total * 8) / seconds / 1e3).toFixed(1)} kbit/s each way)`,
    );
  },
});
