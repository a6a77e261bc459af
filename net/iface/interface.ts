// An Ethernet interface with IPv4: the glue between a Device and the sockets.
//
// poll_ingress_single() takes one frame from the device and walks it up the
// layers (Ethernet -> ARP | IPv4 -> ICMP | UDP | TCP -> socket). Every frame
// ends up either processed or dropped under one Drop reason, so
//   stats.rx_frames === stats.rx_processed + sum(stats.rx_dropped).
// poll_egress() asks each socket for segments and transmits a bounded burst.
// All packet views and reprs below are allocated once and re-pointed per frame.
import { Device, DeviceCapabilities } from "./device";
import { ArpCache } from "./arp_cache";
import { FragmentReassembler, Reassembly } from "./fragment";
import { NeighborQueue } from "./neighbor_queue";
import { Gro, GRO_FLUSH_FIRST, GRO_HELD } from "./gro";
import { RateLimit } from "./rate_limit";
import { SynFrame, SYNACK_FRAME_LEN, SYN_FLAGS_AT } from "./syn_fast_path";
import { SynScreen } from "./syn_screen";
import { Fib, Ipv4Cidr, source_address } from "./fib";
import { IPV4_BROADCAST, MAC_BROADCAST, prefix_mask } from "../wire/address";
import { copy_bytes, write_mac } from "../wire/bytes";
import { checksum_sum, copy_checksum } from "../wire/checksum";
import { ArpPacket, ArpRepr, ARP_PACKET_LEN, ARP_REPLY, ARP_REQUEST } from "../wire/arp";
import { Drop } from "../wire/error";
import { BROADCAST_MAC_BYTES, EthernetFrame, ETHERNET_HEADER_LEN, ETHERTYPE_ARP, ETHERTYPE_IPV4 } from "../wire/ethernet";
import {
  Icmpv4Packet,
  Icmpv4Repr,
  ICMP_CODE_PORT_UNREACHABLE,
  ICMP_HEADER_LEN,
  ICMP_DEST_UNREACHABLE,
  ICMP_ECHO_REPLY,
  ICMP_ECHO_REQUEST,
} from "../wire/icmpv4";
import { Ipv4Packet, Ipv4Repr, IPV4_HEADER_LEN, IP_PROTOCOL_ICMP, IP_PROTOCOL_TCP, IP_PROTOCOL_UDP } from "../wire/ipv4";
import { TcpPacket, TcpRepr, TCP_ACK, TCP_FIN, TCP_HEADER_LEN, TCP_PSH, TCP_RST, TCP_SYN } from "../wire/tcp";
import { UdpPacket, UdpRepr, UDP_HEADER_LEN } from "../wire/udp";
import { SocketSet } from "../socket/socket_set";
import { tcp_closed_count, TcpSocket, TcpState } from "../socket/tcp";
import { Admission, tcp_admission, tcp_memory_admits } from "../socket/admission";
import { syncookie_check, syncookie_make } from "../socket/syncookies";

/** The window a cookie's SYN-ACK announces: the listener's receive buffer, unscaled (a cookie keeps no window scaling). */
function syncookie_window(listener: TcpSocket): number {
  const size = listener.config.rx_buffer_size;
  return size < 0xffff ? size : 0xffff;
}

/** What one poll_ingress_single() call did, so the caller knows whether to wake socket waiters. */
export enum PollIngressSingleResult {
  /** No frame was waiting. */
  None = 0,
  /** A frame was consumed (processed or dropped). */
  PacketProcessed = 1,
  /** A frame was consumed and some socket changed state or buffers. */
  SocketStateChanged = 2,
}

/** Interface options; unset sizes default to 16 ARP entries, 32 queued packets, 4 reassembly slots of 16 KiB. */
export interface InterfaceConfig {
  hardware_addr: number;
  addresses?: Ipv4Cidr[];
  gateway?: number;
  arp_cache_size?: number;
  /** Packets that may wait for ARP resolution at once. */
  neighbor_queue_slots?: number;
  /**
   * The link's capabilities as its driver keeps them (an MTU change shows
   * here): TCP connections announce an MSS its MTU carries. Classic
   * Ethernet (1514-byte frames) if not given.
   */
  link?: Pick<DeviceCapabilities, "max_transmission_unit">;
  reassembly_slots?: number;
  reassembly_max_datagram?: number;
  /**
   * No ARP (Linux's IFF_NOARP): frames go to our own MAC. For the loopback,
   * whose frames come straight back in.
   */
  noarp?: boolean;
}

/** Per-interface counters; rx_frames === rx_processed + the sum of rx_dropped. */
export class InterfaceStats {
  rx_frames = 0;
  rx_processed = 0;
  /** Frames GRO merged into the segment before them: each went up the stack with it, not on its own. */
  rx_gro_merged = 0;
  /** Indexed by Drop. */
  readonly rx_dropped = new Float64Array(Drop.Count);
  tx_frames = 0;
  tx_no_route = 0;
  /** Packets larger than the device's MTU, dropped. */
  tx_too_big = 0;
  /** Packets too large to park while ARP resolves their next hop, dropped (see Interface.unresolved_discards). */
  tx_unresolved = 0;
  icmp_errors_suppressed = 0;
  /** UDP datagrams delivered to a socket (SNMP's udpInDatagrams). */
  udp_in_datagrams = 0;
  /** UDP datagrams for a port nobody listens on (udpNoPorts). */
  udp_no_ports = 0;
  /** UDP datagrams malformed or with a bad checksum (part of udpInErrors). */
  udp_in_errors = 0;
  /** UDP datagrams dropped because the socket's queue was full (RcvbufErrors). */
  udp_rcvbuf_errors = 0;
  /** UDP datagrams sent (udpOutDatagrams). */
  udp_out_datagrams = 0;

  dropped_total(): number {
    let sum = 0;
    for (let i = 0; i < this.rx_dropped.length; i++) sum += this.rx_dropped[i];
    return sum;
  }
}

/** ICMP errors: at most ICMP_ERROR_BURST at once, and one more per ICMP_ERROR_INTERVAL_US (cf. Linux icmp_ratelimit). */
const ICMP_ERROR_BURST = 10;
const ICMP_ERROR_INTERVAL_US = 10_000;
/**
 * An ICMP error quotes as much of the offending datagram as fits in a
 * 576-byte IPv4 packet (RFC 1812 §4.3.2.3), as Linux and smoltcp do.
 */
const ICMP_ERROR_MAX_LEN = 576;
/** transmit_ip's stand-in for an ARP cache entry: send to the Ethernet broadcast address. */
const BROADCAST_ENTRY = -2;
/** Its stand-in for a NOARP interface (lo): send to our own MAC. */
const OWN_MAC_ENTRY = -3;
/** header_template holds nothing yet. */
const NO_TEMPLATE = -4;
/** The Ethernet and IPv4 headers together. */
const HEADERS_LEN = ETHERNET_HEADER_LEN + IPV4_HEADER_LEN;
/** What of a frame is not a TCP segment's data: the link's MTU less this is the MSS it announces (see tcp_mss). */
const TCP_FRAME_HEADERS_LEN = HEADERS_LEN + TCP_HEADER_LEN;
/** Zero the IPv4 header's total length, ident and checksum at buffer[at]: what a header template leaves to each packet. */
function zero_ip_fields(buffer: Uint8Array, at: number): void {
  buffer[at + 2] = buffer[at + 3] = buffer[at + 4] = buffer[at + 5] = 0;
  buffer[at + 10] = buffer[at + 11] = 0;
}

/**
 * Write an IPv4 header's total length and ident at buffer[at], and its
 * checksum from `zeroed_sum`, the sum of the header with those and the
 * checksum zero (-1: leave the checksum zero, for the device to fill).
 */
function write_ip_fields(buffer: Uint8Array, at: number, total: number, ident: number, zeroed_sum: number): void {
  buffer[at + 2] = total >>> 8;
  buffer[at + 3] = total;
  buffer[at + 4] = ident >>> 8;
  buffer[at + 5] = ident;
  if (zeroed_sum < 0) return;
  // checksum_finish(), written out: this runs for every frame sent.
  let sum = zeroed_sum + total + ident;
  sum = (sum & 0xffff) + (sum >>> 16);
  sum = ~((sum & 0xffff) + (sum >>> 16)) & 0xffff;
  buffer[at + 10] = sum >>> 8;
  buffer[at + 11] = sum;
}

let next_ifindex = 1;

/** An Ethernet interface with IPv4 addresses and routes: moves packets between a Device and a SocketSet. */
export class Interface {
  /** A number naming this interface, unique in the process (Linux's ifindex). */
  readonly ifindex = next_ifindex++;
  readonly hardware_addr: number;
  private readonly hardware_addr_bytes = new Uint8Array(6);
  readonly addresses: Ipv4Cidr[];
  /** What `up` says, for the NAPI poll to read without a getter's call; set it through `up`. */
  is_up = true;
  /** The routes and local addresses of the namespace; until join_fib(), a FIB of our own. */
  fib: Fib<Interface> = new Fib<Interface>();
  readonly arp_cache: ArpCache;
  private readonly noarp: boolean;
  private readonly broadcasts: number[] = [];
  /**
   * The host bits every broadcast address here has set: those of the
   * narrowest subnet (all 32 for the limited broadcast alone). An address
   * without them is no broadcast, found with one AND.
   */
  private broadcast_bits = -1;
  readonly stats = new InterfaceStats();

  private readonly neighbor_queue: NeighborQueue;
  private readonly link: Pick<DeviceCapabilities, "max_transmission_unit">;
  private readonly reassembler: FragmentReassembler;
  private ip_ident = 1;
  private readonly icmp_errors = new RateLimit(ICMP_ERROR_BURST, ICMP_ERROR_INTERVAL_US);
  private tcp_cursor = 0;
  private sockets_changed = false;
  /** The socket of the last TCP segment received (see process_tcp). */
  private last_tcp_socket: TcpSocket | null = null;
  /** The last poll_egress() stopped because the device was full: its output waits for the device. */
  egress_blocked = false;
  /**
   * What the last poll_at() found: its answer, and the counts it held for.
   * The interface is quiet while no socket and no route has changed since,
   * and quiet_until has not come: then both polls end at once. (Each checks
   * that in place: most polls end there, and a call would cost more.)
   */
  private quiet_until = -Infinity;
  private quiet_changes = -1;
  private quiet_fib = -1;

  // Receive-side views, re-pointed for every frame.
  private readonly rx_eth = new EthernetFrame();
  private readonly rx_arp = new ArpPacket();
  private readonly rx_arp_repr = new ArpRepr();
  private readonly rx_ip = new Ipv4Packet();
  private readonly rx_icmp = new Icmpv4Packet();
  private readonly rx_udp = new UdpPacket();
  private readonly rx_tcp = new TcpPacket();
  private readonly rx_tcp_repr = new TcpRepr();
  /** The TCP segment being merged from several frames (see gro.ts). */
  private readonly gro = new Gro();
  /** A SYN answered with a cookie before the stack, in a SYN flood (see syn_fast_path.ts). */
  private readonly flood_syn: SynFrame;
  /** Which SYNs a flood leaves time to answer (see syn_screen.ts). */
  private readonly syn_screen = new SynScreen();

  // Transmit side: the packet being built is described by tx_ip plus one of these.
  private readonly tx_eth = new EthernetFrame();
  private readonly tx_arp_repr = new ArpRepr();
  private readonly tx_ip = new Ipv4Repr();
  private readonly tx_icmp = new Icmpv4Repr();
  private readonly tx_udp = new UdpRepr();
  private readonly tx_tcp = new TcpRepr();
  /**
   * The Ethernet and IPv4 headers of the last IPv4 frame sent, and what they
   * were built for. The next frame to the same neighbour with the same
   * addresses (a reply, the next segment of a stream) copies them in one
   * call and writes only what differs, as Linux's neighbour keeps a
   * ready-made hardware header (hh_cache) and BSD's TCP a header template.
   */
  private readonly header_template = new Uint8Array(HEADERS_LEN);
  /**
   * The sum of the template's IPv4 header, whose total length, ident and
   * checksum fields it keeps at zero: a frame's header checksum is then
   * that plus its two fields, with no pass over the bytes.
   */
  private template_ip_sum = 0;
  /**
   * GSO's frames' shared headers, Ethernet, IPv4 and TCP, copied whole into
   * each frame, which writes in what differs (IPv4 total length, ident and
   * checksum; TCP sequence number, flags and checksum; these are zero in the
   * TCP header here). With them, the sum of that TCP header and the
   * pseudo-header but its length; the IPv4 header's is template_ip_sum. Each
   * frame's checksums then cost arithmetic and the one pass over its
   * payload that copies it.
   */
  private readonly gso_headers = new Uint8Array(HEADERS_LEN + TCP_HEADER_LEN);
  private gso_tcp_sum = 0;
  /** The sum of gso_headers' IPv4 header as template_ip_sum has it (the template may have moved on to another flow since). */
  private gso_ip_sum = 0;
  // What gso_headers were built for: a bulk sender's next segment has the
  // same, and gso_begin then uses them as they are.
  private gso_entry = NO_TEMPLATE;
  private gso_arp_generation = -1;
  private gso_src = 0;
  private gso_dst = 0;
  private gso_ttl = 0;
  private gso_ports = -1;
  private gso_ack = 0;
  private gso_window = -1;
  private template_entry = NO_TEMPLATE;
  private template_arp_generation = -1;
  private template_src = 0;
  private template_dst = 0;
  private template_protocol = 0;
  private template_ttl = 0;

  constructor(config: InterfaceConfig) {
    this.hardware_addr = config.hardware_addr;
    write_mac(this.hardware_addr_bytes, 0, config.hardware_addr);
    this.flood_syn = new SynFrame(this.hardware_addr_bytes);
    this.addresses = [];
    this.noarp = config.noarp ?? false;
    this.link = config.link ?? { max_transmission_unit: 1514 };
    this.fib.attach(this);
    this.arp_cache = new ArpCache(config.arp_cache_size ?? 16);
    this.neighbor_queue = new NeighborQueue(config.neighbor_queue_slots ?? 32, 1514);
    this.reassembler = new FragmentReassembler(config.reassembly_slots ?? 4, config.reassembly_max_datagram ?? 16 * 1024);
    for (const cidr of config.addresses ?? []) this.add_address(cidr.address, cidr.prefix_len);
    if (config.gateway !== undefined) this.add_default_gateway(config.gateway);
  }

  /** Fragmented datagrams dropped because their fragments overlapped (IpExt's ReasmOverlaps). */
  get reassembly_overlaps(): number {
    return this.reassembler.overlaps;
  }

  /** The MSS a TCP connection over this link announces (Linux's advmss): the link's IP MTU less the IPv4 and TCP headers. */
  get tcp_mss(): number {
    return this.link.max_transmission_unit - TCP_FRAME_HEADERS_LEN;
  }

  /** Packets dropped for want of a MAC: too large to park, or pushed out of the full ARP queue (Linux's unresolved_discards). */
  get unresolved_discards(): number {
    return this.stats.tx_unresolved + this.neighbor_queue.evicted;
  }

  /** Up: the FIB routes through it and it answers. (The owner's switch; the stack never changes it.) */
  get up(): boolean {
    return this.is_up;
  }

  set up(up: boolean) {
    this.is_up = up;
    this.fib.changed();
  }

  /**
   * Share `fib` with the other interfaces of a namespace: our routes leave
   * the old one, and our addresses bring their connected routes along.
   */
  join_fib(fib: Fib<Interface>): void {
    this.fib.detach(this);
    this.fib = fib;
    fib.attach(this);
    for (const a of this.addresses) fib.add(a.address, a.prefix_len, 0, this, true);
  }

  /** Assign an address; its subnet becomes a connected route. */
  add_address(address: number, prefix_len: number): void {
    this.addresses.push({ address: address >>> 0, prefix_len });
    this.fib.add(address, prefix_len, 0, this, true);
    this.update_broadcasts();
  }

  /** Take an address away, and its connected route with it. */
  remove_address(address: number): void {
    const i = this.addresses.findIndex((a) => a.address === address);
    if (i < 0) return;
    this.fib.remove(address, this.addresses[i].prefix_len, this);
    this.addresses.splice(i, 1);
    this.update_broadcasts();
  }

  /** The directed broadcast of each subnet (none for /31 and /32), kept so is_broadcast() only compares. */
  private update_broadcasts(): void {
    this.broadcasts.length = 0;
    this.broadcast_bits = -1;
    for (const a of this.addresses) {
      if (a.prefix_len >= 31) continue;
      this.broadcasts.push((a.address | ~prefix_mask(a.prefix_len)) >>> 0);
      this.broadcast_bits &= ~prefix_mask(a.prefix_len);
    }
  }

  /** Route everything without a better route through `gateway` on this interface. */
  add_default_gateway(gateway: number): void {
    this.fib.add(0, 0, gateway, this);
  }

  has_address(address: number): boolean {
    for (let i = 0; i < this.addresses.length; i++) if (this.addresses[i].address === address) return true;
    return false;
  }

  /** The address to send from when talking to `dst`, as the FIB chooses it; 0 if none. */
  source_address_for(dst: number): number {
    const route = this.fib.lookup(dst);
    return route !== null ? route.src : source_address(this, dst);
  }

  /**
   * Whether this interface sends to `dst`. The interfaces of a namespace
   * share its sockets, so each sends only what the FIB routes through it
   * (or, for a socket bound to a device, what is bound to it; 0: unbound).
   * No parameter here or in write_ip_frame() has a default: the polls call
   * them for every socket and packet, and QuickJS copies the arguments of a
   * call that passes fewer than the function declares.
   */
  routes_to(dst: number, bound_ifindex: number): boolean {
    if (bound_ifindex !== 0) return bound_ifindex === this.ifindex;
    const route = this.fib.lookup(dst);
    return route !== null && route.iface === this;
  }

  private is_broadcast(address: number): boolean {
    const bits = this.broadcast_bits;
    if ((address & bits) !== bits) return false; // most addresses, at once
    if (address === IPV4_BROADCAST) return true;
    const broadcasts = this.broadcasts;
    for (let i = 0; i < broadcasts.length; i++) if (broadcasts[i] === address) return true;
    return false;
  }

  // ---- Ingress ------------------------------------------------------------

  /**
   * Take one frame from the device and walk it up the stack. On a device
   * with GRO (capabilities.gro) a TCP data segment may instead join the
   * segment GRO holds, which goes up the stack as one when a frame that does
   * not continue it comes, when the device has no more (this returns None
   * only after that), or when poll_egress runs.
   */
  poll_ingress_single(now_us: number, device: Device, sockets: SocketSet): PollIngressSingleResult {
    const frame = device.receive(now_us);
    if (frame === null) return this.gro.frames > 0 ? this.gro_flush(now_us, device, sockets) : PollIngressSingleResult.None;
    const stats = this.stats;
    stats.rx_frames++;
    this.sockets_changed = false;
    const checksums = !device.capabilities.checksum_rx_offload;
    const b = frame.buffer,
      o = frame.offset,
      length = frame.length;
    // Addressed to our MAC? Asked once, here, inline (in the guest's
    // interpreter a call costs more than the six loads): the SYN flood's fast
    // path, GRO and process_ethernet all go by it.
    const mac = this.hardware_addr_bytes;
    const to_us =
      b[o] === mac[0] && b[o + 1] === mac[1] && b[o + 2] === mac[2] && b[o + 3] === mac[3] && b[o + 4] === mac[4] && b[o + 5] === mac[5];
    // In a SYN flood a SYN from a stranger may be dropped at once, and any
    // other is answered here, before it costs the stack anything.
    if (to_us && b[o + SYN_FLAGS_AT] === TCP_SYN && sockets.syncookies) {
      if (!this.syn_screen.admits(now_us, b, o, this.arp_cache)) {
        stats.rx_dropped[Drop.SynScreened]++;
        sockets.tcp_ext.syn_screened++;
        return PollIngressSingleResult.PacketProcessed;
      }
      if (this.answer_syn_flood(now_us, device, sockets, b, o, length, checksums)) {
        stats.rx_processed++;
        return PollIngressSingleResult.PacketProcessed;
      }
    }
    // Only TCP segments merge: a look at the IPv4 protocol byte spares every other frame the call.
    if (to_us && b[o + ETHERNET_HEADER_LEN + 9] === IP_PROTOCOL_TCP && device.capabilities.gro) {
      let gro = this.gro.receive(b, o, length, checksums);
      if (gro === GRO_FLUSH_FIRST) {
        this.gro_flush(now_us, device, sockets);
        gro = this.gro.receive(b, o, length, checksums);
      }
      if (gro === GRO_HELD)
        return this.sockets_changed ? PollIngressSingleResult.SocketStateChanged : PollIngressSingleResult.PacketProcessed;
    }
    if (this.gro.frames > 0) this.gro_flush(now_us, device, sockets); // what GRO holds goes before any later frame
    const drop = this.process_ethernet(now_us, device, sockets, b, o, length, checksums, to_us);
    if (drop === Drop.None) stats.rx_processed++;
    else stats.rx_dropped[drop]++;
    return this.sockets_changed ? PollIngressSingleResult.SocketStateChanged : PollIngressSingleResult.PacketProcessed;
  }

  /** Walk the segment GRO holds up the stack, as one packet of its frames (already counted in rx_frames, and checked). */
  private gro_flush(now_us: number, device: Device, sockets: SocketSet): PollIngressSingleResult {
    const frames = this.gro.frames;
    const length = this.gro.finish();
    this.sockets_changed = false;
    this.stats.rx_gro_merged += frames - 1;
    const drop = this.process_ethernet(now_us, device, sockets, this.gro.buffer, 0, length, false, true);
    if (drop === Drop.None) this.stats.rx_processed += frames;
    else this.stats.rx_dropped[drop] += frames;
    return this.sockets_changed ? PollIngressSingleResult.SocketStateChanged : PollIngressSingleResult.PacketProcessed;
  }

  private process_ethernet(
    now_us: number,
    device: Device,
    sockets: SocketSet,
    buffer: Uint8Array,
    offset: number,
    length: number,
    checksums: boolean,
    /** The frame is addressed to our MAC (poll_ingress_single looked). */
    to_us: boolean,
  ): Drop {
    if (length < ETHERNET_HEADER_LEN) return Drop.Truncated;
    if (!to_us && !this.rx_eth.point(buffer, offset, length).dst_is(BROADCAST_MAC_BYTES, 0)) return Drop.NotForUs;
    const ethertype = (buffer[offset + 12] << 8) | buffer[offset + 13];
    if (ethertype === ETHERTYPE_IPV4) {
      return this.process_ipv4(now_us, device, sockets, buffer, offset + ETHERNET_HEADER_LEN, length - ETHERNET_HEADER_LEN, checksums);
    }
    if (ethertype === ETHERTYPE_ARP) return this.process_arp(now_us, device, buffer, offset, length);
    return Drop.UnknownEthertype;
  }

  private process_arp(now_us: number, device: Device, buffer: Uint8Array, offset: number, length: number): Drop {
    const eth = this.rx_eth.point(buffer, offset, length);
    const packet = this.rx_arp.point(eth.buffer, eth.payload_offset(), eth.payload_len());
    const bad = packet.check();
    if (bad !== Drop.None) return bad;
    const arp = this.rx_arp_repr.parse(packet);
    if (arp.operation !== ARP_REQUEST && arp.operation !== ARP_REPLY) return Drop.UnsupportedArp;
    const for_us = this.has_address(arp.target_protocol_addr);
    const known = this.arp_cache.lookup(arp.source_protocol_addr) >= 0;
    // Learn from packets aimed at us, refresh entries we already have (RFC 826 merge flag).
    if (for_us || known) {
      const entry = this.arp_cache.fill(now_us, arp.source_protocol_addr, arp.source_hardware_addr);
      this.stats.tx_frames += this.neighbor_queue.flush(now_us, arp.source_protocol_addr, this.arp_cache.mac_bytes, 6 * entry, device);
    }
    if (!for_us) return known ? Drop.None : Drop.NotForUs;
    if (arp.operation === ARP_REQUEST) {
      const reply = this.tx_arp_repr;
      reply.operation = ARP_REPLY;
      reply.source_hardware_addr = this.hardware_addr;
      reply.source_protocol_addr = arp.target_protocol_addr;
      reply.target_hardware_addr = arp.source_hardware_addr;
      reply.target_protocol_addr = arp.source_protocol_addr;
      this.transmit_arp(now_us, device, arp.source_hardware_addr);
    }
    return Drop.None;
  }

  private process_ipv4(
    now_us: number,
    device: Device,
    sockets: SocketSet,
    buffer: Uint8Array,
    offset: number,
    length: number,
    checksums: boolean,
  ): Drop {
    const ip = this.rx_ip.point(buffer, offset, length);
    const bad = ip.check(checksums);
    if (bad !== Drop.None) return bad;
    // Once check() has passed, the fields are read here in place, not through
    // the view's accessors: on every packet, each call would cost more than its loads.
    const b = buffer,
      o = offset;
    const src = ((b[o + 12] << 24) | (b[o + 13] << 16) | (b[o + 14] << 8) | b[o + 15]) >>> 0;
    const dst = ((b[o + 16] << 24) | (b[o + 17] << 16) | (b[o + 18] << 8) | b[o + 19]) >>> 0;
    // Any of the namespace's addresses is ours, whichever interface it came in
    // on (Linux's weak host model: that is how lo delivers them). Without any
    // address (before DHCP) we take everything so the DHCP client can hear its offer.
    if (!this.has_address(dst) && !this.fib.is_local(dst) && !this.is_broadcast(dst) && this.addresses.length > 0) return Drop.NotForUs;
    // The payload: in the frame, or, for the last fragment of a datagram, the whole datagram reassembled.
    let payload = b,
      at: number,
      payload_len: number;
    if (((b[o + 6] & 0x3f) | b[o + 7]) !== 0) {
      // More fragments follow, or this one is not the first.
      const result = this.reassembler.process(now_us, ip);
      if (result === Reassembly.Dropped) return Drop.FragmentDropped;
      if (result === Reassembly.Pending) return Drop.None;
      payload = this.reassembler.buffer;
      at = 0;
      payload_len = this.reassembler.length;
    } else {
      const header_len = (b[o] & 0x0f) * 4;
      at = o + header_len;
      payload_len = ((b[o + 2] << 8) | b[o + 3]) - header_len;
    }
    switch (b[o + 9]) {
      case IP_PROTOCOL_TCP:
        return this.process_tcp(now_us, device, sockets, src, dst, payload, at, payload_len, checksums);
      case IP_PROTOCOL_UDP:
        return this.process_udp(now_us, device, sockets, src, dst, payload, at, payload_len, checksums);
      case IP_PROTOCOL_ICMP:
        return this.process_icmp(now_us, device, sockets, src, dst, payload, at, payload_len, checksums);
      default:
        return Drop.UnsupportedProtocol;
    }
  }

  private process_icmp(
    now_us: number,
    device: Device,
    sockets: SocketSet,
    src: number,
    dst: number,
    buffer: Uint8Array,
    offset: number,
    length: number,
    checksums: boolean,
  ): Drop {
    const icmp = this.rx_icmp.point(buffer, offset, length);
    const bad = icmp.check(checksums);
    if (bad !== Drop.None) return bad;
    const type = buffer[offset];
    if (type === ICMP_ECHO_REQUEST) {
      if (this.is_broadcast(dst)) return Drop.NotForUs; // no smurf amplification
      this.tx_icmp.echo_reply_of(buffer, offset, length);
      this.transmit_ip(now_us, device, dst, src, IP_PROTOCOL_ICMP, length);
      return Drop.None;
    }
    if (type === ICMP_ECHO_REPLY) {
      const ident = icmp.echo_ident();
      for (let i = 0; i < sockets.icmp.length; i++) {
        const socket = sockets.icmp[i];
        if (socket.ident !== ident) continue;
        if (!socket.process_echo_reply(src, icmp.echo_seq_no(), buffer, icmp.payload_offset(), icmp.payload_len())) {
          return Drop.SocketRejected;
        }
        this.sockets_changed = true;
        return Drop.None;
      }
      return Drop.NoSocket;
    }
    return Drop.UnsupportedProtocol;
  }

  private process_udp(
    now_us: number,
    device: Device,
    sockets: SocketSet,
    src: number,
    dst: number,
    buffer: Uint8Array,
    offset: number,
    length: number,
    checksums: boolean,
  ): Drop {
    const bad = this.rx_udp.point(buffer, offset, length).check(src, dst, checksums);
    if (bad !== Drop.None) {
      this.stats.udp_in_errors++;
      return bad;
    }
    // Read in place once check() has passed, as process_ipv4 does.
    const b = buffer,
      o = offset;
    const src_port = (b[o] << 8) | b[o + 1];
    const port = (b[o + 2] << 8) | b[o + 3];
    const payload_len = ((b[o + 4] << 8) | b[o + 5]) - UDP_HEADER_LEN;
    for (let i = 0; i < sockets.udp.length; i++) {
      const socket = sockets.udp[i];
      if (!socket.accepts(dst, port)) continue;
      if (!socket.process(src, src_port, b, o + UDP_HEADER_LEN, payload_len)) {
        this.stats.udp_rcvbuf_errors++;
        return Drop.SocketRejected;
      }
      this.stats.udp_in_datagrams++;
      this.sockets_changed = true;
      return Drop.None;
    }
    this.stats.udp_no_ports++;
    if (!this.is_broadcast(dst) && this.fib.is_local(dst)) this.send_port_unreachable(now_us, device, src, dst);
    return Drop.NoSocket;
  }

  /** RFC 1122 §3.2.2.1: tell the sender, quoting its datagram (see ICMP_ERROR_MAX_LEN). */
  private send_port_unreachable(now_us: number, device: Device, src: number, dst: number): void {
    if (!this.icmp_errors.take(now_us)) {
      this.stats.icmp_errors_suppressed++;
      return;
    }
    const ip = this.rx_ip;
    const room = Math.min(ICMP_ERROR_MAX_LEN, device.capabilities.max_transmission_unit - ETHERNET_HEADER_LEN);
    const quote = Math.min(ip.total_len(), room - IPV4_HEADER_LEN - ICMP_HEADER_LEN);
    const icmp = this.tx_icmp;
    icmp.reply_to_request = false;
    icmp.msg_type = ICMP_DEST_UNREACHABLE;
    icmp.code = ICMP_CODE_PORT_UNREACHABLE;
    icmp.rest_of_header = 0;
    icmp.payload = ip.buffer;
    icmp.payload_offset = ip.offset;
    icmp.payload_len = quote;
    this.transmit_ip(now_us, device, dst, src, IP_PROTOCOL_ICMP, icmp.buffer_len());
  }

  private process_tcp(
    now_us: number,
    device: Device,
    sockets: SocketSet,
    src: number,
    dst: number,
    buffer: Uint8Array,
    offset: number,
    length: number,
    checksums: boolean,
  ): Drop {
    const packet = this.rx_tcp.point(buffer, offset, length);
    let bad = packet.check(src, dst, checksums);
    if (bad !== Drop.None) return bad;
    const repr = this.rx_tcp_repr;
    bad = repr.parse(packet);
    if (bad !== Drop.None) return bad;
    if (this.is_broadcast(dst)) return Drop.NotForUs;

    // The connection of the last segment first (BSD's one-entry PCB cache):
    // a stream's segments come in runs. It must be of this socket set (the
    // device may have moved to another namespace); a socket that left the
    // set is CLOSED and never matches.
    const last = this.last_tcp_socket;
    if (last !== null && last.owner === sockets && last.matches(src, repr.src_port, dst, repr.dst_port)) {
      if (last.process(now_us, repr)) this.sockets_changed = true;
      return Drop.None;
    }
    const socket = sockets.tcp_lookup(src, repr.src_port, dst, repr.dst_port);
    if (socket !== null) {
      if (socket.state === TcpState.SynReceived && this.handshake_refused(sockets)) return Drop.SocketRejected;
      this.last_tcp_socket = socket;
      if (socket.process(now_us, repr)) this.sockets_changed = true;
      return Drop.None;
    }
    const handshake = repr.flags & (TCP_SYN | TCP_ACK | TCP_RST);
    if (handshake === TCP_SYN || handshake === TCP_ACK) {
      const listener = sockets.tcp_listener(dst, repr.dst_port);
      if (listener !== null && handshake === TCP_SYN) return this.listen_syn(now_us, device, sockets, listener, src, dst, repr);
      if (listener !== null && listener.cookies_recent(now_us))
        return this.listen_cookie_ack(now_us, device, sockets, listener, src, dst, repr);
    }
    if (!(repr.flags & TCP_RST)) this.send_rst_reply(now_us, device, src, dst, repr);
    return Drop.NoSocket;
  }

  /**
   * A half-open connection's segment (the handshake's last ACK, most often)
   * while memory is short: dropped and counted, as Linux drops the ACK when
   * it cannot take the child on. Completed, the connection would be handed
   * to its application, which gives it a thread and buffers; the peer sends
   * again, and at worst the SYN-ACK retries run out.
   */
  private handshake_refused(sockets: SocketSet): boolean {
    if (tcp_memory_admits(sockets)) return false;
    sockets.tcp_ext.listen_drops++;
    return true;
  }

  /**
   * A SYN for `listener`: a new half-open connection, or, with the half-open
   * queue full, a SYN-ACK whose cookie holds the connection (RFC 4987).
   * Dropped (the peer tries again) when the accept queue is full, or memory
   * or the namespace's socket cap refuses a new socket.
   */
  private listen_syn(
    now_us: number,
    device: Device,
    sockets: SocketSet,
    listener: TcpSocket,
    src: number,
    dst: number,
    repr: TcpRepr,
  ): Drop {
    const mib = sockets.tcp_ext;
    if (listener.accept_queue_full()) {
      mib.listen_overflows++;
      mib.listen_drops++;
      return Drop.SocketRejected;
    }
    if (listener.syn_queue_full()) {
      if (!sockets.syncookies) {
        mib.req_q_full_drop++;
        mib.listen_drops++;
        return Drop.SocketRejected;
      }
      mib.req_q_full_do_cookies++;
      mib.syncookies_sent++;
      listener.cookie_sent(now_us);
      this.send_syn_cookie(now_us, device, listener, src, dst, repr);
      return Drop.None;
    }
    if (tcp_admission(sockets) !== Admission.Admitted) {
      mib.listen_drops++;
      return Drop.SocketRejected;
    }
    const child = listener.spawn(now_us, src, dst, repr, this.tcp_mss);
    if (child === null) return Drop.SocketRejected; // (both queues were just found to have room)
    sockets.add_tcp(child);
    this.sockets_changed = true;
    return Drop.None;
  }

  /** The SYN-ACK of a SYN cookie: no window scaling, our MSS, the cookie as sequence number. */
  private send_syn_cookie(now_us: number, device: Device, listener: TcpSocket, src: number, dst: number, syn: TcpRepr): void {
    const synack = this.tx_tcp.clear();
    synack.src_port = syn.dst_port;
    synack.dst_port = syn.src_port;
    synack.seq_number = syncookie_make(now_us, src, syn.src_port, dst, syn.dst_port, syn.seq_number, syn.max_seg_size);
    synack.ack_number = (syn.seq_number + 1) | 0;
    synack.flags = TCP_SYN | TCP_ACK;
    synack.window_len = syncookie_window(listener);
    synack.max_seg_size = Math.min(listener.config.mss, this.tcp_mss);
    this.transmit_ip(now_us, device, dst, src, IP_PROTOCOL_TCP, synack.buffer_len());
    this.syn_screen.flood_seen(now_us);
  }

  /**
   * The SYN flood's fast path: a SYN (the frame at b[o], just received) for
   * a listener whose half-open queue is full is answered with a cookie
   * straight from its bytes, as listen_syn would answer it, but with no
   * route, no ARP and no header objects (see syn_fast_path.ts). False when
   * the frame is not such a SYN, or it has a connection already, or the
   * device is full: it then goes up the stack as any frame does.
   */
  private answer_syn_flood(
    now_us: number,
    device: Device,
    sockets: SocketSet,
    b: Uint8Array,
    o: number,
    length: number,
    checksums: boolean,
  ): boolean {
    const syn = this.flood_syn;
    if (!syn.read(b, o, length, checksums) || !this.has_address(syn.dst)) return false;
    const listener = sockets.tcp_listener(syn.dst, syn.dst_port);
    if (listener === null || !listener.syn_queue_full() || listener.accept_queue_full()) return false;
    if (sockets.tcp_lookup(syn.src, syn.src_port, syn.dst, syn.dst_port) !== null) return false;
    const frame = device.transmit(now_us, SYNACK_FRAME_LEN);
    if (frame === null) return false;
    const cookie = syncookie_make(now_us, syn.src, syn.src_port, syn.dst, syn.dst_port, syn.seq, syn.mss);
    // tcp_mss's value, without a getter's cost: in QuickJS a getter is a generic lookup and a call, on every SYN of the flood.
    const link_mss = this.link.max_transmission_unit - TCP_FRAME_HEADERS_LEN;
    const mss = listener.config.mss < link_mss ? listener.config.mss : link_mss;
    const offload = device.capabilities.checksum_tx_offload;
    syn.write_synack(frame.buffer, frame.offset, this.ip_ident, cookie, syncookie_window(listener), mss, !offload);
    device.transmit_commit(now_us);
    this.ip_ident = (this.ip_ident + 1) & 0xffff;
    this.stats.tx_frames++;
    const mib = sockets.tcp_ext;
    mib.req_q_full_do_cookies++;
    mib.syncookies_sent++;
    listener.cookie_sent(now_us);
    this.syn_screen.flood_seen(now_us);
    return true;
  }

  /**
   * An ACK for no connection, to a listener that sent cookies lately: if it
   * gives one back, the connection is made now and takes the ACK (and any
   * data on it); if not, it gets a RST, as any stray ACK does.
   */
  private listen_cookie_ack(
    now_us: number,
    device: Device,
    sockets: SocketSet,
    listener: TcpSocket,
    src: number,
    dst: number,
    repr: TcpRepr,
  ): Drop {
    const mib = sockets.tcp_ext;
    const mss = syncookie_check(now_us, src, repr.src_port, dst, repr.dst_port, (repr.seq_number - 1) | 0, (repr.ack_number - 1) | 0);
    if (mss === 0) {
      mib.syncookies_failed++;
      this.send_rst_reply(now_us, device, src, dst, repr);
      return Drop.NoSocket;
    }
    if (listener.accept_queue_full()) {
      mib.listen_overflows++;
      mib.listen_drops++;
      return Drop.SocketRejected; // the peer sends again; the cookie stays good for a while
    }
    if (tcp_admission(sockets) !== Admission.Admitted) {
      mib.listen_drops++;
      return Drop.SocketRejected;
    }
    const child = listener.spawn_from_cookie(now_us, src, dst, repr, mss, this.tcp_mss);
    if (child === null) return Drop.SocketRejected; // (the queue was just found to have room)
    mib.syncookies_recv++;
    sockets.add_tcp(child);
    this.last_tcp_socket = child;
    child.process(now_us, repr);
    this.sockets_changed = true;
    return Drop.None;
  }

  /** RFC 9293 §3.10.7.1: answer a segment for no connection with a RST. */
  private send_rst_reply(now_us: number, device: Device, src: number, dst: number, seg: TcpRepr): void {
    const rst = this.tx_tcp.clear();
    rst.src_port = seg.dst_port;
    rst.dst_port = seg.src_port;
    rst.window_len = 0;
    if (seg.flags & TCP_ACK) {
      rst.seq_number = seg.ack_number;
      rst.ack_number = 0;
      rst.flags = TCP_RST;
    } else {
      rst.seq_number = 0;
      rst.ack_number = (seg.seq_number + seg.segment_len()) | 0;
      rst.flags = TCP_RST | TCP_ACK;
    }
    this.transmit_ip(now_us, device, dst, src, IP_PROTOCOL_TCP, rst.buffer_len());
  }

  // ---- Egress -------------------------------------------------------------

  /** Send at most max_burst_size frames of socket output. Returns true if anything was sent. */
  poll_egress(now_us: number, device: Device, sockets: SocketSet): boolean {
    // What GRO still holds (the NAPI budget ran out before the device was empty) reaches its socket before the output.
    if (this.gro.frames > 0) this.gro_flush(now_us, device, sockets);
    if (this.reassembler.busy) this.reassembler.expire(now_us);
    this.egress_blocked = false;
    if (sockets.changes === this.quiet_changes && this.fib.generation === this.quiet_fib && now_us < this.quiet_until) return false; // quiet
    const start_frames = this.stats.tx_frames;
    let budget = device.capabilities.max_burst_size;

    const tcp = sockets.tcp;
    const count = tcp.length;
    for (let n = 0; n < count && budget > 0; n++) {
      const i = (this.tcp_cursor + n) % count;
      const socket = tcp[i];
      if (socket.poll_at(now_us) > now_us) continue; // nothing to send yet: most sockets, most of the time
      if (socket.remote_addr !== 0 && !this.routes_to(socket.remote_addr, 0)) continue;
      while (budget > 0 && socket.dispatch(now_us, this.tx_tcp, budget)) {
        const src = socket.local_addr !== 0 ? socket.local_addr : this.source_address_for(socket.remote_addr);
        const payload_len = this.tx_tcp.payload_len;
        const frames = this.transmit_tcp(now_us, device, src, socket.remote_addr, socket.send_mss);
        if (frames > 0) socket.dispatched(now_us, this.tx_tcp);
        if (frames === 0 || this.tx_tcp.payload_len < payload_len) {
          this.egress_blocked = true;
          return this.stats.tx_frames !== start_frames;
        }
        budget -= frames;
        // A segment that takes no sequence space (an ACK, a window update, a
        // RST) is the last the socket has now: its plan puts data, SYN and
        // FIN first. Asking it again would only plan nothing, at a price.
        if (this.tx_tcp.segment_len() === 0) break;
      }
    }
    this.tcp_cursor = count > 0 ? (this.tcp_cursor + 1) % count : 0;
    if (sockets.tcp_closings_reaped !== tcp_closed_count()) this.reap_closed(sockets);

    for (let i = 0; i < sockets.udp.length && budget > 0; i++) {
      const socket = sockets.udp[i];
      if (socket.tx.count === 0) continue; // most sockets, most polls: no call to find that out
      let dst: number;
      while (budget > 0 && (dst = socket.dispatch(this.tx_udp)) >= 0) {
        if (!this.routes_to(dst, socket.bound_ifindex)) break; // another interface's
        const src = socket.local_addr !== 0 ? socket.local_addr : this.source_address_for(dst);
        if (!this.transmit_ip(now_us, device, src, dst, IP_PROTOCOL_UDP, this.tx_udp.buffer_len())) {
          this.egress_blocked = true;
          break;
        }
        this.stats.udp_out_datagrams++;
        socket.dispatched();
        budget--;
      }
    }
    for (let i = 0; i < sockets.icmp.length && budget > 0; i++) {
      const socket = sockets.icmp[i];
      if (socket.tx.count === 0) continue;
      let dst: number;
      while (budget > 0 && (dst = socket.dispatch(this.tx_icmp)) >= 0) {
        if (!this.routes_to(dst, 0)) break; // another interface's
        if (!this.transmit_ip(now_us, device, this.source_address_for(dst), dst, IP_PROTOCOL_ICMP, this.tx_icmp.buffer_len())) {
          this.egress_blocked = true;
          break;
        }
        socket.dispatched();
        budget--;
      }
    }
    return this.stats.tx_frames !== start_frames;
  }

  /** Connections spawned by a listener that died before accept() belong to nobody: drop them (poll_egress asks once one has closed). */
  private reap_closed(sockets: SocketSet): void {
    sockets.tcp_closings_reaped = tcp_closed_count();
    const tcp = sockets.tcp;
    for (let i = tcp.length - 1; i >= 0; i--) {
      if (tcp[i].reap_when_closed && tcp[i].state === TcpState.Closed) tcp.splice(i, 1);
    }
  }

  /** The earliest time (µs) any socket needs polling, `now_us` if there is work now, or null. */
  poll_at(now_us: number, sockets: SocketSet): number | null {
    if (sockets.changes === this.quiet_changes && this.fib.generation === this.quiet_fib && now_us < this.quiet_until) {
      // Quiet: what the last poll_at() found still holds.
      return this.quiet_until === Infinity ? null : this.quiet_until;
    }
    let at = Infinity;
    for (let i = 0; i < sockets.tcp.length; i++) {
      const socket = sockets.tcp[i];
      const t = socket.poll_at(now_us);
      if (t >= at) continue;
      if (socket.remote_addr !== 0 && !this.routes_to(socket.remote_addr, 0)) continue;
      at = t;
    }
    for (let i = 0; i < sockets.udp.length; i++) {
      const socket = sockets.udp[i];
      if (socket.tx.count !== 0 && this.routes_to(socket.tx.peek_addr(), socket.bound_ifindex)) at = now_us;
    }
    for (let i = 0; i < sockets.icmp.length; i++) {
      const socket = sockets.icmp[i];
      if (socket.tx.count !== 0 && this.routes_to(socket.tx.peek_addr(), 0)) at = now_us;
    }
    // Remembered: until a socket or the FIB changes, or the clock reaches it,
    // this interface has nothing to do, and both polls can say so at once.
    this.quiet_until = at;
    this.quiet_changes = sockets.changes;
    this.quiet_fib = this.fib.generation;
    return at === Infinity ? null : at > now_us ? at : now_us;
  }

  /**
   * Convenience loop for simple drivers: take up to `max_frames` received
   * frames, then send. Returns true if any socket changed.
   */
  poll(now_us: number, device: Device, sockets: SocketSet, max_frames = 64): boolean {
    let changed = false;
    for (let i = 0; i < max_frames; i++) {
      const result = this.poll_ingress_single(now_us, device, sockets);
      if (result === PollIngressSingleResult.None) break;
      if (result === PollIngressSingleResult.SocketStateChanged) changed = true;
    }
    if (this.poll_egress(now_us, device, sockets)) changed = true;
    return changed;
  }

  /** Open an active TCP connection from this interface's address for `remote_addr`. */
  tcp_connect(now_us: number, socket: TcpSocket, remote_addr: number, remote_port: number, local_port: number): void {
    socket.connect(now_us, remote_addr, remote_port, this.source_address_for(remote_addr), local_port, this.tcp_mss);
  }

  // ---- Transmission -------------------------------------------------------

  /**
   * Build and send (or queue for ARP) one IPv4 packet whose transport part is
   * in tx_tcp / tx_udp / tx_icmp according to `protocol`. Returns false only
   * when the device is full; unroutable or unresolvable packets are dropped
   * and counted, and the sender's own recovery (TCP retransmission) applies.
   */
  private transmit_ip(now_us: number, device: Device, src: number, dst: number, protocol: number, payload_len: number): boolean {
    const length = ETHERNET_HEADER_LEN + IPV4_HEADER_LEN + payload_len;
    if (length > device.capabilities.max_transmission_unit) {
      // Larger than the link's MTU (napkin does not fragment on send): lost,
      // as a datagram the link refused; not "device full", which would retry.
      this.stats.tx_too_big++;
      return true;
    }
    let next_hop = dst;
    let entry = BROADCAST_ENTRY;
    if (!this.is_broadcast(dst)) {
      const route = this.fib.lookup(dst);
      if (route === null) {
        this.stats.tx_no_route++;
        return true;
      }
      next_hop = route.next_hop;
      entry = this.neighbour(now_us, device, src, next_hop);
    }
    const ip = this.tx_ip;
    ip.src_addr = src;
    ip.dst_addr = dst;
    ip.protocol = protocol;
    ip.payload_len = payload_len;
    ip.ident = this.ip_ident;
    this.ip_ident = (this.ip_ident + 1) & 0xffff;

    if (entry === -1) {
      const pending = this.neighbor_queue.reserve(now_us, next_hop, length);
      // The destination MAC is filled in when ARP answers.
      if (pending !== null) this.write_ip_frame(pending, 0, BROADCAST_ENTRY, device.capabilities.checksum_tx_offload, true);
      else this.stats.tx_unresolved++;
      if (this.arp_cache.may_request(now_us, next_hop)) this.send_arp_request(now_us, device, src, next_hop);
      return true;
    }
    const frame = device.transmit(now_us, length);
    if (frame === null) return false;
    this.write_ip_frame(frame.buffer, frame.offset, entry, device.capabilities.checksum_tx_offload, false);
    device.transmit_commit(now_us);
    this.stats.tx_frames++;
    return true;
  }

  /**
   * The ARP cache entry to send to `next_hop` through (OWN_MAC_ENTRY on a
   * NOARP link), or -1 while it is unresolved. A stale entry is still
   * used, and its host asked on the way whether it still has the address.
   */
  private neighbour(now_us: number, device: Device, src: number, next_hop: number): number {
    if (this.noarp) return OWN_MAC_ENTRY;
    const entry = this.arp_cache.resolve(now_us, next_hop);
    if (entry >= 0 && this.arp_cache.probe_due) this.send_arp_request(now_us, device, src, next_hop, this.arp_cache.mac_of(entry));
    return entry;
  }

  /**
   * Send the TCP segment in tx_tcp, cut into frames of at most `mss` bytes
   * of payload (Linux's GSO, done in software just before the device: the
   * socket built one segment for them all). Each frame carries its own
   * sequence number; PSH and FIN ride on the last. Returns the frames sent.
   * If the device filled up part way, tx_tcp is left describing the frames
   * that went, for the socket's dispatched(); the rest is sent again later.
   */
  private transmit_tcp(now_us: number, device: Device, src: number, dst: number, mss: number): number {
    const segment = this.tx_tcp;
    const total = segment.payload_len;
    if (total <= mss) return this.transmit_ip(now_us, device, src, dst, IP_PROTOCOL_TCP, segment.buffer_len()) ? 1 : 0;
    const seq = segment.seq_number;
    const offset = segment.payload_offset;
    const flags = segment.flags;
    const direct = this.gso_begin(now_us, device, src, dst, mss);
    let sent = 0;
    let frames = 0;
    while (sent < total) {
      const len = total - sent < mss ? total - sent : mss; // (a comparison: Math.min is a native call, and this runs per frame)
      segment.seq_number = (seq + sent) | 0;
      segment.payload_offset = offset + sent;
      segment.payload_len = len;
      segment.flags = sent + len === total ? flags : flags & ~(TCP_PSH | TCP_FIN);
      const went = direct
        ? this.transmit_gso_frame(now_us, device, sent + len < total)
        : this.transmit_ip(now_us, device, src, dst, IP_PROTOCOL_TCP, segment.buffer_len());
      if (!went) break;
      sent += len;
      frames++;
    }
    segment.seq_number = seq;
    segment.payload_offset = offset;
    segment.payload_len = sent;
    segment.flags = sent === total ? flags : flags & ~(TCP_PSH | TCP_FIN);
    return frames;
  }

  /**
   * Ready the headers GSO's frames to `dst` share, routing and resolving
   * once for them all, in gso_headers: those of the last segment, when they
   * fit this one (a bulk sender's usually do), else built anew, which
   * leaves the header template fitting them too. False when the frames
   * cannot go straight to the device
   * (no route, the neighbour not resolved yet, larger than the MTU): each
   * then goes transmit_ip's way, which deals with that.
   */
  private gso_begin(now_us: number, device: Device, src: number, dst: number, mss: number): boolean {
    if (HEADERS_LEN + TCP_HEADER_LEN + mss > device.capabilities.max_transmission_unit || this.is_broadcast(dst)) return false;
    const route = this.fib.lookup(dst);
    if (route === null) return false;
    const entry = this.neighbour(now_us, device, src, route.next_hop);
    if (entry === -1) return false;
    const ip = this.tx_ip;
    const segment = this.tx_tcp;
    const ports = segment.src_port * 0x10000 + segment.dst_port;
    const ack = segment.flags & TCP_ACK ? segment.ack_number : 0;
    if (
      entry === this.gso_entry &&
      this.arp_cache.generation === this.gso_arp_generation &&
      src === this.gso_src &&
      dst === this.gso_dst &&
      ip.ttl === this.gso_ttl &&
      ports === this.gso_ports &&
      ack === this.gso_ack &&
      segment.window_len === this.gso_window
    ) {
      return true; // the headers of the last segment fit this one
    }
    ip.src_addr = src;
    ip.dst_addr = dst;
    ip.protocol = IP_PROTOCOL_TCP;
    ip.payload_len = TCP_HEADER_LEN;
    // The headers without payload or checksums, built as any frame's are; they leave the template fitting this destination.
    const len = segment.payload_len;
    segment.payload_len = 0;
    const g = this.gso_headers;
    this.write_ip_frame(g, 0, entry, true, false); // (without checksums: both read 0)
    segment.payload_len = len;
    const t = HEADERS_LEN;
    g[t + 4] = g[t + 5] = g[t + 6] = g[t + 7] = 0; // sequence number
    g[t + 13] = 0; // flags
    // The pseudo-header's addresses lie just before the TCP header: one sum covers them and it.
    this.gso_tcp_sum = checksum_sum(g, ETHERNET_HEADER_LEN + 12, 8 + TCP_HEADER_LEN, IP_PROTOCOL_TCP);
    this.gso_ip_sum = this.template_ip_sum;
    this.gso_entry = entry;
    this.gso_arp_generation = this.arp_cache.generation;
    this.gso_src = src;
    this.gso_dst = dst;
    this.gso_ttl = ip.ttl;
    this.gso_ports = ports;
    this.gso_ack = ack;
    this.gso_window = segment.window_len;
    return true;
  }

  /**
   * One GSO frame: the shared headers with its length, IP ident, sequence
   * number, flags and checksums written in, then its payload. `more`: the
   * segment has frames after this one (the device may wait for the last).
   */
  private transmit_gso_frame(now_us: number, device: Device, more: boolean): boolean {
    const segment = this.tx_tcp;
    const len = segment.payload_len;
    const frame = device.transmit(now_us, HEADERS_LEN + TCP_HEADER_LEN + len);
    if (frame === null) return false;
    const b = frame.buffer,
      o = frame.offset;
    const checksums = !device.capabilities.checksum_tx_offload;
    const ident = this.ip_ident;
    this.ip_ident = (ident + 1) & 0xffff;
    const tcp_len = TCP_HEADER_LEN + len;
    copy_bytes(b, o, this.gso_headers, 0, HEADERS_LEN + TCP_HEADER_LEN);
    write_ip_fields(b, o + ETHERNET_HEADER_LEN, IPV4_HEADER_LEN + tcp_len, ident, checksums ? this.gso_ip_sum : -1);
    const t = o + HEADERS_LEN;
    const seq = segment.seq_number,
      flags = segment.flags;
    b[t + 4] = seq >>> 24;
    b[t + 5] = seq >>> 16;
    b[t + 6] = seq >>> 8;
    b[t + 7] = seq;
    b[t + 13] = flags;
    if (checksums) {
      const header_sum = this.gso_tcp_sum + tcp_len + (seq >>> 16) + (seq & 0xffff) + flags;
      // The sum comes back folded (the helpers' contract): it only needs inverting.
      const sum = ~copy_checksum(b, t + TCP_HEADER_LEN, segment.payload, segment.payload_offset, len, header_sum) & 0xffff;
      b[t + 16] = sum >>> 8;
      b[t + 17] = sum;
    } else {
      copy_bytes(b, t + TCP_HEADER_LEN, segment.payload, segment.payload_offset, len);
    }
    device.transmit_commit(now_us, more);
    this.stats.tx_frames++;
    return true;
  }

  /**
   * Headers and payload of the packet in tx_ip and its transport repr.
   * `arp_entry` is an ARP cache entry for the destination MAC,
   * BROADCAST_ENTRY or OWN_MAC_ENTRY; `parked`: the packet waits for ARP.
   */
  private write_ip_frame(buffer: Uint8Array, offset: number, arp_entry: number, offload: boolean, parked: boolean): void {
    const ip = this.tx_ip;
    const at = offset + ETHERNET_HEADER_LEN;
    if (
      arp_entry === this.template_entry &&
      this.arp_cache.generation === this.template_arp_generation &&
      ip.src_addr === this.template_src &&
      ip.dst_addr === this.template_dst &&
      ip.protocol === this.template_protocol &&
      ip.ttl === this.template_ttl
    ) {
      // The template holds the headers this frame needs (same neighbour,
      // addresses and protocol): copy them in one call and write what
      // differs, the length, the ident and the checksum.
      copy_bytes(buffer, offset, this.header_template, 0, HEADERS_LEN);
      write_ip_fields(buffer, at, IPV4_HEADER_LEN + ip.payload_len, ip.ident, offload ? -1 : this.template_ip_sum);
    } else {
      const eth = this.tx_eth.point(buffer, offset, 0);
      if (arp_entry === BROADCAST_ENTRY) eth.emit_bytes(BROADCAST_MAC_BYTES, 0, this.hardware_addr_bytes, 0, ETHERTYPE_IPV4);
      else if (arp_entry === OWN_MAC_ENTRY) eth.emit_bytes(this.hardware_addr_bytes, 0, this.hardware_addr_bytes, 0, ETHERTYPE_IPV4);
      else eth.emit_bytes(this.arp_cache.mac_bytes, 6 * arp_entry, this.hardware_addr_bytes, 0, ETHERTYPE_IPV4);
      ip.emit(buffer, at, !offload);
      // A packet parked for ARP keeps the template of the flows that go
      // straight out: a flood of SYN-ACKs to addresses that never answer
      // would otherwise replace it at every packet.
      if (!parked) this.keep_template(buffer, offset, arp_entry);
    }
    const payload_at = at + IPV4_HEADER_LEN;
    if (ip.protocol === IP_PROTOCOL_TCP) this.tx_tcp.emit(buffer, payload_at, ip.src_addr, ip.dst_addr, !offload);
    else if (ip.protocol === IP_PROTOCOL_UDP) this.tx_udp.emit(buffer, payload_at, ip.src_addr, ip.dst_addr, !offload);
    else this.tx_icmp.emit(buffer, payload_at, !offload);
  }

  /** The headers of a frame just built, and what they were built for. */
  private keep_template(buffer: Uint8Array, offset: number, arp_entry: number): void {
    const ip = this.tx_ip;
    const t = this.header_template;
    copy_bytes(t, 0, buffer, offset, HEADERS_LEN);
    zero_ip_fields(t, ETHERNET_HEADER_LEN);
    this.template_ip_sum = checksum_sum(t, ETHERNET_HEADER_LEN, IPV4_HEADER_LEN, 0);
    this.template_entry = arp_entry;
    this.template_arp_generation = this.arp_cache.generation;
    this.template_src = ip.src_addr;
    this.template_dst = ip.dst_addr;
    this.template_protocol = ip.protocol;
    this.template_ttl = ip.ttl;
  }

  /**
   * Ask who has `target`: broadcast, or (`to`, a stale entry's MAC) only the
   * host we have for it, whether it still has the address.
   */
  private send_arp_request(now_us: number, device: Device, src: number, target: number, to = MAC_BROADCAST): void {
    const request = this.tx_arp_repr;
    request.operation = ARP_REQUEST;
    request.source_hardware_addr = this.hardware_addr;
    request.source_protocol_addr = src;
    request.target_hardware_addr = to === MAC_BROADCAST ? 0 : to;
    request.target_protocol_addr = target;
    this.transmit_arp(now_us, device, to);
  }

  private transmit_arp(now_us: number, device: Device, dst_mac: number): void {
    const frame = device.transmit(now_us, ETHERNET_HEADER_LEN + ARP_PACKET_LEN);
    if (frame === null) return;
    this.tx_eth.point(frame.buffer, frame.offset, 0).emit(dst_mac, this.hardware_addr, ETHERTYPE_ARP);
    this.tx_arp_repr.emit(frame.buffer, frame.offset + ETHERNET_HEADER_LEN);
    device.transmit_commit(now_us);
    this.stats.tx_frames++;
  }
}
