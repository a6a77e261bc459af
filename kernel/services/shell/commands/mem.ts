import { hal } from "../../../hal/current";
import { mem_pressure_stats } from "../../../mm/pressure";
import { namespaces } from "../../../net/namespaces";
import type { NetNamespace } from "../../../net/netns";
import { TcpState } from "../../../../net/socket/tcp";
import { register_command, UsageError } from "../command";

const kib = (bytes: number) => `${Math.round(bytes / 1024)} KiB`;

/** "none (short above 16951 KiB in use); times short: 0, new sockets refused: 0" */
function pressure_line(): string {
  const p = mem_pressure_stats();
  const state = p.short
    ? `SHORT: new connections are refused until below ${kib(p.leave_at)} in use`
    : `none (short above ${kib(p.enter_at)} in use)`;
  return `${state}; times short: ${p.episodes}, new sockets refused: ${p.refused}`;
}

/** "init_net: tcp 7 (Listen 4, Established 2, TimeWait 1), udp 4, icmp 0" */
function socket_line(ns: NetNamespace): string {
  const by_state = new Map<TcpState, number>();
  for (const socket of ns.sockets.tcp) by_state.set(socket.state, (by_state.get(socket.state) ?? 0) + 1);
  const states = Array.from(by_state, ([state, n]) => `${TcpState[state]} ${n}`).join(", ");
  const s = ns.sockets;
  return `${ns.name}: tcp ${s.tcp.length}${states ? ` (${states})` : ""}, udp ${s.udp.length}, icmp ${s.icmp.length}`;
}

register_command({
  name: "mem",
  usage: "mem [-g]",
  description: "physical memory, C heap, DMA pages, JS heap, memory pressure and each namespace's sockets; -g collects garbage first",
  run(ctx) {
    const args = ctx.argv.slice(1);
    if (args.length > 1 || (args.length === 1 && args[0] !== "-g")) throw new UsageError();
    // Garbage in reference cycles waits for the cycle collector, which runs
    // only after megabytes of allocation: -g runs it, so the heap figures
    // count what is still reachable, not when the collector last ran.
    if (args[0] === "-g") hal.gc();
    const m = hal.mem_info();
    ctx.println(`physical: ${kib(m.phys_total)} (${Math.round(m.phys_total / (1024 * 1024))} MiB)`);
    ctx.println(`C heap:   ${kib(m.heap_used)} used of ${kib(m.heap_total)}, QuickJS may hold ${kib(m.js_limit)}`);
    ctx.println(`DMA:      ${kib(m.dma_used)} used of ${kib(m.dma_total)}`);
    ctx.println(`JS heap:  ${kib(m.js_malloc_size)} in ${m.js_obj_count} objects`);
    ctx.println(`kernel:   ${kib(m.kernel_size)}`);
    ctx.println(`pressure: ${pressure_line()}`);
    for (const ns of namespaces) ctx.println(`sockets:  ${socket_line(ns)}`);
  },
});
