// A DHCPv4 client (RFC 2131) as a socket-like state machine: the owner calls
// poll() after polling the interface; it sends DISCOVER/REQUEST through its
// own UDP socket, and on ACK configures the interface (address, subnet route,
// default gateway). Renews at T1 (half the lease) and drops the address at
// expiry. Retransmissions back off from 4 s to 64 s (RFC 2131 §4.1).
import { Interface } from "../iface/interface";
import {
  Dhcpv4Repr,
  DHCP_ACK,
  DHCP_CLIENT_PORT,
  DHCP_DISCOVER,
  DHCP_MAX_EMIT_LEN,
  DHCP_NAK,
  DHCP_OFFER,
  DHCP_REQUEST,
  DHCP_SERVER_PORT,
} from "../wire/dhcpv4";
import { Drop } from "../wire/error";
import { IPV4_BROADCAST } from "../wire/address";
import { UdpSocket } from "./udp";

/** Where the DHCP client is: looking for a server, requesting an offer, holding a lease, or renewing it. */
export enum DhcpState {
  Discovering,
  Requesting,
  Bound,
  Renewing,
}

/** What poll() did to the interface: nothing, set up a new address (Configured), or removed it (Deconfigured). */
export enum DhcpEvent {
  None,
  Configured,
  Deconfigured,
}

const RETRY_MIN_US = 4_000_000;
const RETRY_MAX_US = 64_000_000;
const MAX_REQUEST_RETRIES = 3;

/** A lease as applied: address/prefix_len, router and DNS server (0 when not offered), lease length in µs. */
export interface DhcpConfig {
  address: number;
  prefix_len: number;
  router: number;
  dns_server: number;
  lease_us: number;
}

/** A DHCPv4 client: gets, renews and gives up a lease, configuring the interface to match. */
export class Dhcpv4Socket {
  state = DhcpState.Discovering;
  /** The lease in force (valid in Bound and Renewing). */
  config: DhcpConfig | null = null;
  readonly udp = new UdpSocket(4, 4096);
  private readonly repr = new Dhcpv4Repr();
  private readonly buffer = new Uint8Array(1500);
  private xid = 0;
  private retry_at = 0;
  private retry_interval = RETRY_MIN_US;
  private retries = 0;
  private offered_ip = 0;
  private server_id = 0;
  private renew_at = Infinity;
  private expires_at = Infinity;

  /** The owner adds `udp` to the socket set of the interface's namespace. */
  constructor() {
    this.udp.bind(DHCP_CLIENT_PORT);
    this.new_transaction();
  }

  /** Run the state machine: handle replies, send what is due. Returns what changed. */
  poll(now_us: number, iface: Interface): DhcpEvent {
    // The client talks before it has an address: only its own interface may send for it.
    this.udp.bound_ifindex = iface.ifindex;
    let event = DhcpEvent.None;
    while (this.udp.can_recv()) {
      const len = this.udp.recv_slice(this.buffer);
      const result = this.process(now_us, iface, len);
      if (result !== DhcpEvent.None) event = result;
    }
    if (this.config !== null && now_us >= this.expires_at) {
      this.deconfigure(iface);
      this.restart(now_us);
      event = DhcpEvent.Deconfigured;
    }
    if (this.state === DhcpState.Bound && now_us >= this.renew_at) {
      this.state = DhcpState.Renewing;
      this.new_transaction();
      this.retry_at = now_us;
    }
    if (this.state !== DhcpState.Bound && now_us >= this.retry_at) this.transmit(now_us, iface);
    return event;
  }

  /** When poll() next has something to do. */
  poll_at(): number {
    if (this.state === DhcpState.Bound) return Math.min(this.renew_at, this.expires_at);
    return Math.min(this.retry_at, this.expires_at);
  }

  reset(now_us: number, iface: Interface): void {
    this.deconfigure(iface);
    this.restart(now_us);
  }

  private process(now_us: number, iface: Interface, len: number): DhcpEvent {
    const r = this.repr;
    if (len < 0 || r.parse(this.buffer, 0, len) !== Drop.None) return DhcpEvent.None;
    if (!r.is_reply || r.xid !== this.xid || r.client_hardware_addr !== iface.hardware_addr) return DhcpEvent.None;
    if (this.state === DhcpState.Discovering && r.message_type === DHCP_OFFER && r.your_ip !== 0) {
      this.offered_ip = r.your_ip;
      this.server_id = r.server_identifier;
      this.state = DhcpState.Requesting;
      this.retries = 0;
      this.retry_at = now_us;
      return DhcpEvent.None;
    }
    if (this.state !== DhcpState.Requesting && this.state !== DhcpState.Renewing) return DhcpEvent.None;
    if (r.message_type === DHCP_NAK) {
      const had = this.config !== null;
      this.deconfigure(iface);
      this.restart(now_us);
      return had ? DhcpEvent.Deconfigured : DhcpEvent.None;
    }
    if (r.message_type !== DHCP_ACK || r.your_ip === 0) return DhcpEvent.None;
    const lease_us = (r.lease_time || 3600) * 1_000_000;
    const config: DhcpConfig = {
      address: r.your_ip,
      prefix_len: mask_to_prefix(r.subnet_mask || 0xffffff00),
      router: r.router,
      dns_server: r.dns_server,
      lease_us,
    };
    const changed = this.config === null || this.config.address !== config.address || this.config.router !== config.router;
    if (changed) {
      this.deconfigure(iface);
      iface.add_address(config.address, config.prefix_len);
      if (config.router !== 0) iface.add_default_gateway(config.router);
    }
    this.config = config;
    this.server_id = r.server_identifier || this.server_id;
    this.state = DhcpState.Bound;
    this.renew_at = now_us + lease_us / 2;
    this.expires_at = now_us + lease_us;
    return changed ? DhcpEvent.Configured : DhcpEvent.None;
  }

  private transmit(now_us: number, iface: Interface): void {
    const r = this.repr;
    r.is_reply = false;
    r.xid = this.xid;
    r.broadcast = true;
    r.client_ip = this.state === DhcpState.Renewing && this.config !== null ? this.config.address : 0;
    r.your_ip = r.server_ip = 0;
    r.subnet_mask = r.router = r.dns_server = r.lease_time = 0;
    r.requested_ip = 0;
    r.server_identifier = 0;
    if (this.state === DhcpState.Discovering) {
      r.message_type = DHCP_DISCOVER;
    } else {
      if (this.state === DhcpState.Requesting && ++this.retries > MAX_REQUEST_RETRIES) {
        this.restart(now_us);
        return;
      }
      r.message_type = DHCP_REQUEST;
      if (this.state === DhcpState.Requesting) {
        r.requested_ip = this.offered_ip;
        r.server_identifier = this.server_id;
      }
    }
    r.client_hardware_addr = iface.hardware_addr;
    const len = r.emit(this.buffer, 0);
    this.udp.send_slice(this.buffer, IPV4_BROADCAST, DHCP_SERVER_PORT, 0, Math.min(len, DHCP_MAX_EMIT_LEN));
    this.retry_at = now_us + this.retry_interval;
    this.retry_interval = Math.min(RETRY_MAX_US, this.retry_interval * 2);
  }

  private restart(now_us: number): void {
    this.state = DhcpState.Discovering;
    this.new_transaction();
    this.retry_at = now_us;
  }

  private new_transaction(): void {
    this.xid = (Math.random() * 0x100000000) >>> 0;
    this.retry_interval = RETRY_MIN_US;
    this.retries = 0;
  }

  private deconfigure(iface: Interface): void {
    if (this.config === null) return;
    iface.remove_address(this.config.address);
    if (this.config.router !== 0) iface.fib.remove(0, 0, iface);
    this.config = null;
    this.renew_at = this.expires_at = Infinity;
  }
}

function mask_to_prefix(mask: number): number {
  let prefix = 0;
  while (prefix < 32 && (mask & (0x80000000 >>> prefix)) !== 0) prefix++;
  return prefix;
}
