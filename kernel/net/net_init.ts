// Bringing the net core up at boot: the napi_handler thread, the root
// namespace's netns_poll thread, a loopback device in every namespace, and
// the /proc/net files. Drivers register their devices after this; services
// configure them.
import { napi_init } from "./napi_handler";
import { init_net, loopback_net_ops, register_pernet_operations } from "./namespaces";
import { proc_net_init } from "./proc_net";

/** Start the net core (once, before any driver probes). */
export function net_core_init(): void {
  napi_init();
  init_net.start();
  register_pernet_operations(loopback_net_ops);
  proc_net_init();
}
