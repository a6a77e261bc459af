// A one-lease DHCPv4 server (RFC 2131 §4.3) for the guest, as QEMU's user
// network gives 10.0.2.15: DISCOVER gets an OFFER, a REQUEST for the offered
// address an ACK, any other REQUEST a NAK. Replies are broadcast to the
// client port (§4.1: the client has no address yet to unicast to).
import { SocketSet } from "../../net/socket/socket_set";
import { UdpSocket } from "../../net/socket/udp";
import { IPV4_BROADCAST, prefix_mask } from "../../net/wire/address";
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
} from "../../net/wire/dhcpv4";
import { Drop } from "../../net/wire/error";

export interface DhcpServerConfig {
  /** Our address: the server identifier. */
  server: number;
  /** The address every client is offered. */
  offer: number;
  prefix_len: number;
  router: number;
  dns: number;
  lease_seconds: number;
}

export class DhcpServer {
  readonly udp = new UdpSocket(8, 8 * 1024);
  /** Replies sent, by kind (for tests and logs). */
  offers = 0;
  acks = 0;
  naks = 0;
  private readonly repr = new Dhcpv4Repr();
  private readonly buffer = new Uint8Array(1500);

  constructor(
    sockets: SocketSet,
    readonly config: DhcpServerConfig,
  ) {
    this.udp.bind(DHCP_SERVER_PORT);
    sockets.add_udp(this.udp);
  }

  /** Answer every request that arrived. */
  poll(): void {
    while (this.udp.can_recv()) {
      const len = this.udp.recv_slice(this.buffer);
      const r = this.repr;
      if (r.parse(this.buffer, 0, len) !== Drop.None || r.is_reply) continue;
      const reply = this.answer(r.message_type, r.requested_ip || r.client_ip);
      if (reply !== 0) this.send(reply);
    }
  }

  private answer(type: number, wanted: number): number {
    if (type === DHCP_DISCOVER) return DHCP_OFFER;
    if (type !== DHCP_REQUEST) return 0; // DECLINE, RELEASE, INFORM: nothing to say
    return wanted === this.config.offer ? DHCP_ACK : DHCP_NAK;
  }

  /** Turn the parsed request in `repr` into the reply and queue it. */
  private send(type: number): void {
    const r = this.repr;
    const c = this.config;
    const ack = type !== DHCP_NAK;
    r.is_reply = true;
    r.message_type = type;
    r.your_ip = ack ? c.offer : 0;
    r.server_ip = c.server;
    r.server_identifier = c.server;
    r.requested_ip = 0;
    r.lease_time = ack ? c.lease_seconds : 0;
    r.subnet_mask = ack ? prefix_mask(c.prefix_len) : 0;
    r.router = ack ? c.router : 0;
    r.dns_server = ack ? c.dns : 0;
    const len = r.emit(this.buffer, 0);
    this.udp.send_slice(this.buffer, IPV4_BROADCAST, DHCP_CLIENT_PORT, 0, Math.min(len, DHCP_MAX_EMIT_LEN));
    if (type === DHCP_OFFER) this.offers++;
    else if (type === DHCP_ACK) this.acks++;
    else this.naks++;
  }
}
