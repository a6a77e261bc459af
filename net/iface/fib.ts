// The forwarding information base of one network namespace (Linux's FIB):
// which interface sends a packet for a destination, to which next hop, and
// from which source address. Two tables, as in Linux: the local table (the
// namespace's own addresses, delivered through the loopback interface) and
// the main table (connected routes, which come and go with addresses, and
// routes added by hand or by DHCP), searched by longest prefix. All the
// interfaces of a namespace share one Fib, and an interface sends a packet
// only when it is the Fib's choice for the destination.
import { IPV4_BROADCAST, prefix_mask } from "../wire/address";

/** An IPv4 address with its prefix length. */
export interface Ipv4Cidr {
  address: number;
  prefix_len: number;
}

/** What the FIB needs to know of an interface (net/iface/interface.ts implements it). */
export interface FibInterface {
  /** The number naming the interface. */
  readonly ifindex: number;
  /** A down interface's routes and addresses are skipped. */
  readonly up: boolean;
  /** Its addresses: the local table, and the source addresses it offers. */
  readonly addresses: readonly Ipv4Cidr[];
}

/** One route of the main table. */
export interface Route<I extends FibInterface = FibInterface> {
  /** Destination network (address bits beyond the prefix are zero). */
  network: number;
  prefix_len: number;
  /** prefix_mask(prefix_len), kept so a lookup need not work it out per route. */
  mask: number;
  /** Next hop; 0 for an on-link (connected) route. */
  gateway: number;
  /** The interface that sends. */
  iface: I;
  /** Came with an address (Linux's "proto kernel"); goes with it. */
  connected: boolean;
}

/** What lookup() found. One object per Fib, re-filled by every lookup: read it at once. */
export class FibResult<I extends FibInterface = FibInterface> {
  /** The interface that sends. */
  iface!: I;
  /** Where the frame goes on that interface's link: the gateway, or the destination itself. */
  next_hop = 0;
  /** The source address to use, 0 if the interface has none. */
  src = 0;
  /** The destination is one of the namespace's own addresses (sent through the loopback). */
  local = false;
}

/** One namespace's routes and local addresses. */
export class Fib<I extends FibInterface = FibInterface> {
  private loopback_iface: I | null = null;
  private readonly ifaces: I[] = [];
  /** Longest prefix first, so a lookup stops at the first match. */
  private readonly routes: Route<I>[] = [];
  private readonly result = new FibResult<I>();
  /**
   * The last answer, for the next lookup of the same destination (a reply
   * usually goes where the last one went), valid while `generation` holds:
   * every change to routes, addresses or an interface's state bumps it.
   */
  private cached_generation = -1;
  private cached_dst = -1;
  private readonly cached = new FibResult<I>();

  /**
   * Moves whenever an answer of lookup() may have changed (changed() moves
   * it; nothing else may). A field, not a getter: interfaces read it on
   * every poll, and QuickJS calls a getter.
   */
  generation = 0;

  /** Something the answers depend on changed (routes, addresses, an interface going up or down). */
  changed(): void {
    this.generation++;
  }

  /** The interface that carries traffic to the namespace's own addresses (lo); null if none. */
  get loopback(): I | null {
    return this.loopback_iface;
  }

  set loopback(iface: I | null) {
    this.loopback_iface = iface;
    this.changed();
  }

  /** An interface joins the namespace. */
  attach(iface: I): void {
    if (!this.ifaces.includes(iface)) this.ifaces.push(iface);
    this.changed();
  }

  /** An interface leaves: its routes go with it. */
  detach(iface: I): void {
    const i = this.ifaces.indexOf(iface);
    if (i >= 0) this.ifaces.splice(i, 1);
    for (let j = this.routes.length - 1; j >= 0; j--) if (this.routes[j].iface === iface) this.routes.splice(j, 1);
    if (this.loopback_iface === iface) this.loopback_iface = null;
    this.changed();
  }

  /** Add (or replace) the route to network/prefix_len out of `iface`. */
  add(network: number, prefix_len: number, gateway: number, iface: I, connected = false): void {
    this.remove(network, prefix_len, iface);
    const mask = prefix_mask(prefix_len);
    this.routes.push({ network: (network & mask) >>> 0, prefix_len, mask, gateway: gateway >>> 0, iface, connected });
    this.routes.sort((a, b) => b.prefix_len - a.prefix_len);
    this.changed();
  }

  /** Remove the route to network/prefix_len (out of `iface`, if given); false if there was none. */
  remove(network: number, prefix_len: number, iface: I | null = null): boolean {
    const masked = (network & prefix_mask(prefix_len)) >>> 0;
    const i = this.routes.findIndex((r) => r.network === masked && r.prefix_len === prefix_len && (iface === null || r.iface === iface));
    if (i < 0) return false;
    this.routes.splice(i, 1);
    this.changed();
    return true;
  }

  /** The main table, longest prefix first. */
  list(): readonly Route<I>[] {
    return this.routes;
  }

  /** The up interface that owns `address`, or null: the local table. */
  owner_of(address: number): I | null {
    for (let i = 0; i < this.ifaces.length; i++) {
      const iface = this.ifaces[i];
      const addresses = iface.addresses;
      for (let j = 0; j < addresses.length; j++) if (addresses[j].address === address && iface.up) return iface;
    }
    return null;
  }

  /** Whether `address` is one of the namespace's own. */
  is_local(address: number): boolean {
    return this.owner_of(address) !== null;
  }

  /**
   * Where a packet to `dst` goes: our own addresses through the loopback
   * interface, anything else by the longest matching route whose interface
   * is up. Null when there is no route (ENETUNREACH).
   */
  lookup(dst: number): FibResult<I> | null {
    // The cached answer itself: a FibResult is only read, and at once.
    if (dst === this.cached_dst && this.generation === this.cached_generation) return this.cached;
    const found = this.resolve(dst);
    if (found !== null) {
      const cached = this.cached;
      cached.iface = found.iface;
      cached.next_hop = found.next_hop;
      cached.src = found.src;
      cached.local = found.local;
      this.cached_dst = dst;
      this.cached_generation = this.generation;
    }
    return found;
  }

  private resolve(dst: number): FibResult<I> | null {
    const result = this.result;
    if (this.owner_of(dst) !== null) {
      const lo = this.loopback_iface;
      if (lo === null || !lo.up) return null;
      result.iface = lo;
      result.next_hop = dst;
      result.src = dst;
      result.local = true;
      return result;
    }
    for (let i = 0; i < this.routes.length; i++) {
      const r = this.routes[i];
      if ((dst & r.mask) >>> 0 !== r.network || !r.iface.up) continue;
      result.iface = r.iface;
      result.next_hop = r.gateway === 0 ? dst : r.gateway;
      result.src = source_address(r.iface, result.next_hop);
      result.local = false;
      return result;
    }
    if (dst === IPV4_BROADCAST) return this.broadcast_fallback();
    return null;
  }

  /**
   * The limited broadcast with no route for it (no default route): out of
   * the first up interface that has an address and is not the loopback, as
   * a sender would pick its only link. (DHCP binds to its device instead.)
   */
  private broadcast_fallback(): FibResult<I> | null {
    for (let i = 0; i < this.ifaces.length; i++) {
      const iface = this.ifaces[i];
      if (!iface.up || iface === this.loopback || iface.addresses.length === 0) continue;
      const result = this.result;
      result.iface = iface;
      result.next_hop = IPV4_BROADCAST;
      result.src = iface.addresses[0].address;
      result.local = false;
      return result;
    }
    return null;
  }
}

/** The address `iface` should send from towards `next_hop`: one on the same subnet, else its first; 0 if none. */
export function source_address(iface: FibInterface, next_hop: number): number {
  const addresses = iface.addresses;
  for (let i = 0; i < addresses.length; i++) {
    const mask = prefix_mask(addresses[i].prefix_len);
    if (((addresses[i].address ^ next_hop) & mask) === 0) return addresses[i].address;
  }
  return addresses.length > 0 ? addresses[0].address : 0;
}
