// The guest's network as QEMU's `-nic user` lays it out: the host stack is
// the gateway 10.0.2.2 and the name server 10.0.2.3, and its DHCP server
// leases 10.0.2.15/24 to the guest. Ping to either address is answered by
// the interface itself. Port forwards (port_forward.ts) connect to GUEST.
import { ipv4 } from "../../net/wire/address";
import { DhcpServer } from "./dhcp_server";
import { DnsServer } from "./dns_server";
import { HostStack } from "./host_stack";
import { V86Link } from "./v86_link";

export const USER_NET_PREFIX = 24;
export const GATEWAY = ipv4("10.0.2.2");
export const NAMESERVER = ipv4("10.0.2.3");
export const GUEST = ipv4("10.0.2.15");
const LEASE_SECONDS = 86400;

export class UserNet {
  readonly host: HostStack;
  readonly dhcp: DhcpServer;
  readonly dns: DnsServer;

  constructor(link: V86Link) {
    this.host = new HostStack(link, { address: `10.0.2.2/${USER_NET_PREFIX}` });
    this.host.iface.add_address(NAMESERVER, USER_NET_PREFIX);
    this.dhcp = new DhcpServer(this.host.sockets, {
      server: GATEWAY,
      offer: GUEST,
      prefix_len: USER_NET_PREFIX,
      router: GATEWAY,
      dns: NAMESERVER,
      lease_seconds: LEASE_SECONDS,
    });
    const names = new Map([
      ["host", GATEWAY],
      ["gateway", GATEWAY],
    ]);
    this.dns = new DnsServer(this.host.sockets, NAMESERVER, names);
    this.host.on_poll.push(() => {
      this.dhcp.poll();
      this.dns.poll();
    });
  }

  stop(): void {
    this.host.stop();
  }
}
