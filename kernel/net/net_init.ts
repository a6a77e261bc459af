// Bringing the net core up at boot: the napi_handler thread, the root
// namespace's netns_poll thread, a loopback device in every namespace, and
// the /proc/net files; TCP's secret gets what entropy the machine has, the
// stack asks memory pressure (kernel/mm) before it makes a socket, and
// `tcp_fin_timeout=SECONDS` on the command line sets how long a closed
// connection waits in FIN-WAIT-2 (Linux's sysctl of that name; default 60).
// Drivers register their devices after this; services configure them.
import { hal } from "../hal/current";
import { cmdline_uint } from "../lib/cmdline";
import { mem_refuse_new, mem_short } from "../mm/pressure";
import { set_memory_pressure_check } from "../../net/socket/memory_pressure";
import { tcp_secret_init } from "../../net/socket/secure_seq";
import { DEFAULT_TCP_CONFIG } from "../../net/socket/tcp";
import { napi_init } from "./napi_handler";
import { init_net, loopback_net_ops, register_pernet_operations } from "./namespaces";
import { proc_net_init } from "./proc_net";

/** Start the net core (once, before any driver probes). */
export function net_core_init(): void {
  // The TSC's time since boot (every bit of it, fraction included) and the wall clock.
  tcp_secret_init([hal.now_us(), Date.now(), hal.now_us()]);
  set_memory_pressure_check(mem_refuse_new, mem_short);
  const fin_timeout_s = cmdline_uint(hal.cmdline, "tcp_fin_timeout", -1);
  if (fin_timeout_s >= 0) DEFAULT_TCP_CONFIG.fin_timeout_us = fin_timeout_s * 1_000_000;
  napi_init();
  init_net.start();
  register_pernet_operations(loopback_net_ops);
  proc_net_init();
}
