// ip netns: add, del, list, pids, exec. `exec` runs one shell command with
// the thread switched into the namespace (setns), then switches back; `pids`
// lists the threads that live in a namespace.
import { current_thread, thread_list } from "../../../../sched/sched";
import { find_netns, namespaces, netns_add, netns_del, setns } from "../../../../net/namespaces";
import { find_command, ShellContext, UsageError } from "../../command";
import { ip_error } from "./ip_args";

export async function ip_netns(ctx: ShellContext, args: string[]): Promise<void> {
  const command = args[0] ?? "list";
  const name = args[1];
  if (command === "list" || command === "show") {
    // Newest first, as iproute2 lists them; init_net is not a named namespace.
    for (const ns of namespaces.slice(1).reverse()) ctx.println(ns.name);
    return;
  }
  if (name === undefined) ip_error("No netns name specified");
  if (command === "add") {
    netns_add(name);
    return;
  }
  const ns = find_netns(name);
  if (command === "del" || command === "delete") {
    if (!ns || ns.name === "init_net") ip_error(`Cannot remove namespace file "/var/run/netns/${name}": No such file or directory`);
    netns_del(ns);
    return;
  }
  if (command === "pids") {
    if (!ns) ip_error(`Cannot open network namespace "${name}": No such file or directory`);
    for (const thread of thread_list()) if (thread.nsproxy.net_ns === ns) ctx.println(String(thread.pid));
    return;
  }
  if (command === "exec") {
    if (!ns) ip_error(`Cannot open network namespace "${name}": No such file or directory`);
    const argv = args.slice(2);
    const target = argv.length ? find_command(argv[0]) : undefined;
    if (!target) ip_error(argv.length ? `exec of "${argv[0]}" failed: No such file or directory` : "No command specified");
    const thread = current_thread()!;
    const previous = thread.nsproxy;
    setns(thread, ns);
    try {
      await target.run({ ...ctx, argv });
    } finally {
      thread.nsproxy = previous;
    }
    return;
  }
  throw new UsageError();
}
