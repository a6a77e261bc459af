// Bringing an interface up with DHCP, falling back to a static address.
// A kernel thread per interface drives the stack's DHCPv4 client: it runs the
// client's state machine whenever a reply arrives or a retransmission is due,
// and asks the namespace to poll when the client has something to send.
import { hal } from "../hal/current";
import { pr_info } from "../log";
import { kthread_run } from "../sched/sched";
import { wait_event_timeout, wake_up, WaitQueue } from "../sched/waitqueue";
import { DhcpEvent, Dhcpv4Socket } from "../../net/socket/dhcpv4";
import { ipv4_to_string } from "../../net/wire/address";
import type { NetDevice } from "../../drivers/net/netdev";

export interface StaticConfig {
  address: number;
  prefix_len: number;
  gateway: number | null;
}

export function apply_static(dev: NetDevice, config: StaticConfig): void {
  dev.iface.add_address(config.address, config.prefix_len);
  if (config.gateway !== null) dev.iface.routes.add_default_gateway(config.gateway);
  pr_info(`${dev.name}: ${ipv4_to_string(config.address)}/${config.prefix_len} (static)`);
}

/**
 * Run DHCP on `dev`; if no lease comes within `timeout_us` and a static
 * configuration is given, use that instead (DHCP keeps trying meanwhile).
 */
export function dhcp_start(dev: NetDevice, fallback: StaticConfig | null, timeout_us: number): void {
  const ns = dev.netns;
  const wq = new WaitQueue();
  const dhcp = new Dhcpv4Socket(ns.sockets);
  dhcp.udp.on_state_change = () => wake_up(wq);
  const give_up_at = hal.now_us() + timeout_us;
  let fell_back = false;

  kthread_run(`dhcp/${dev.name}`, async () => {
    for (;;) {
      const now = hal.now_us();
      const event = dhcp.poll(now, dev.iface);
      if (event === DhcpEvent.Configured && dhcp.config) {
        if (fell_back && fallback) dev.iface.remove_address(fallback.address);
        fell_back = false;
        const c = dhcp.config;
        ns.nameserver = c.dns_server;
        pr_info(`${dev.name}: DHCP lease ${ipv4_to_string(c.address)}/${c.prefix_len} router ${ipv4_to_string(c.router)} for ${Math.round(c.lease_us / 1e6)} s`);
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
      await wait_event_timeout(wq, () => dhcp.udp.can_recv(), Math.max(1, next - hal.now_us()));
    }
  });
}
