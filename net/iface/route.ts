// IPv4 addresses with prefixes, connected routes and a routing table.
import { prefix_mask } from '../wire/address';

/** An interface address with its prefix length, e.g. 10.0.0.2/24. */
export interface Ipv4Cidr {
  address: number;
  prefix_len: number;
}

/** A routing table entry: packets for network/prefix_len go to `gateway`, or straight to the destination when on-link. */
export interface Route {
  /** Destination network (address bits beyond the prefix are ignored). */
  network: number;
  prefix_len: number;
  /** Next hop; 0 for an on-link (connected) route. */
  gateway: number;
}

/** The routing table: longest-prefix match over connected routes, static routes and the default (0/0) route. */
export class RouteTable {
  private readonly routes: Route[] = [];

  add(network: number, prefix_len: number, gateway: number): void {
    this.remove(network, prefix_len);
    this.routes.push({ network: (network & prefix_mask(prefix_len)) >>> 0, prefix_len, gateway });
    // Longest prefix first, so lookup() can stop at the first match.
    this.routes.sort((a, b) => b.prefix_len - a.prefix_len);
  }

  add_default_gateway(gateway: number): void {
    this.add(0, 0, gateway);
  }

  remove(network: number, prefix_len: number): void {
    const masked = (network & prefix_mask(prefix_len)) >>> 0;
    const i = this.routes.findIndex((r) => r.network === masked && r.prefix_len === prefix_len);
    if (i >= 0) this.routes.splice(i, 1);
  }

  /** The IPv4 next hop for `dst`: itself when on-link, the gateway otherwise, or -1 when unroutable. */
  next_hop(dst: number): number {
    for (let i = 0; i < this.routes.length; i++) {
      const r = this.routes[i];
      if (((dst & prefix_mask(r.prefix_len)) >>> 0) === r.network) return r.gateway === 0 ? dst : r.gateway;
    }
    return -1;
  }

  clear(): void {
    this.routes.length = 0;
  }

  list(): readonly Route[] {
    return this.routes;
  }
}
