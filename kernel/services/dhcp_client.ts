// Bringing an interface up with DHCP, falling back to a static address: the
// policy around the stack's DHCPv4 client (net/socket/dhcpv4.ts). A kernel
// thread per interface runs the client's state machine whenever a reply
// arrives or a retransmission is due; the client's UDP socket is an endpoint
// of the socket API, so replies wake this thread and no other.
import { hal } from "../hal/current";
import { pr_info } from "../log";
import { register_netdevice_notifier, unregister_netdevice_notifier, type NetdevNotifier } from "../net/dev";
import { setns, type NetNamespace } from "../net/netns";
import type { NetDevice } from "../net/netdevice";
import { kthread_run } from "../sched/sched";
import { UdpEndpoint } from "../../net/socket/api";
import { DhcpEvent, Dhcpv4Socket } from "../../net/socket/dhcpv4";
import { ipv4_to_string } from "../../net/wire/address";

/** An address, prefix and gateway given by hand (ip= on the command line). */
export interface StaticConfig {
  address: number;
  prefix_len: number;
  gateway: number | null;
}

/** Give `dev` a static address and, if any, a default route. */
export function apply_static(dev: NetDevice, config: StaticConfig): void {
  dev.iface.add_address(config.address, config.prefix_len);
  if (config.gateway !== null) dev.iface.add_default_gateway(config.gateway);
  pr_info(`${dev.name}: ${ipv4_to_string(config.address)}/${config.prefix_len} (static)`);
}

/**
 * Run DHCP on `dev`; if no lease comes within `timeout_us` and a static
 * configuration is given, use that instead (DHCP keeps trying meanwhile).
 * The client belongs to the device in its namespace: if the device moves to
 * another namespace or goes away, the client stops.
 */
export function dhcp_start(dev: NetDevice, ns: NetNamespace, fallback: StaticConfig | null, timeout_us: number): void {
  const dhcp = new Dhcpv4Socket();
  const endpoint = new UdpEndpoint(ns.context, 0, dhcp.udp);
  const give_up_at = hal.now_us() + timeout_us;
  let fell_back = false;
  let gone = "";
  const follow: NetdevNotifier = (event, which) => {
    if (which !== dev || (event !== "change_netns" && event !== "unregister")) return;
    gone = event === "unregister" ? "went away" : "left its namespace";
    endpoint.close(); // wakes the thread
  };
  register_netdevice_notifier(follow);

  const thread = kthread_run(`dhcp/${dev.name}`, async () => {
    while (gone === "") {
      const now = hal.now_us();
      const event = dhcp.poll(now, dev.iface);
      if (event === DhcpEvent.Configured && dhcp.config) {
        if (fell_back && fallback) dev.iface.remove_address(fallback.address);
        fell_back = false;
        const c = dhcp.config;
        ns.nameserver = c.dns_server;
        pr_info(
          `${dev.name}: DHCP lease ${ipv4_to_string(c.address)}/${c.prefix_len} router ${ipv4_to_string(c.router)} for ${Math.round(c.lease_us / 1e6)} s`,
        );
      } else if (event === DhcpEvent.Deconfigured) {
        pr_info(`${dev.name}: DHCP lease lost`);
      }
      if (!dhcp.config && !fell_back && fallback && now >= give_up_at) {
        pr_info(`${dev.name}: no DHCP answer, falling back to the static address`);
        apply_static(dev, fallback);
        fell_back = true;
      }
      if (!dhcp.udp.tx.is_empty()) ns.request_poll();
      let next = dhcp.poll_at();
      if (!dhcp.config && !fell_back && fallback) next = Math.min(next, give_up_at);
      await endpoint.wait(() => dhcp.udp.can_recv() || gone !== "", Math.max(1, next - hal.now_us()));
    }
    unregister_netdevice_notifier(follow);
    pr_info(`${dev.name}: ${gone}: DHCP client stopped`);
  });
  setns(thread, ns);
}
