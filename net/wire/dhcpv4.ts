// DHCPv4 messages (RFC 2131/2132): the BOOTP header plus the few options a
// client needs. Parsing fills a reused repr and returns a Drop on bad input.
import { read_u16, read_u32, read_mac, write_mac, write_u16, write_u32 } from "./bytes";
import { Drop } from "./error";

/** UDP port DHCP servers (and relays) listen on. */
export const DHCP_SERVER_PORT = 67;
/** UDP port DHCP clients listen on; the server's replies come to it. */
export const DHCP_CLIENT_PORT = 68;
const BOOTREQUEST = 1;
const BOOTREPLY = 2;
const HEADER_LEN = 236;
const MAGIC_COOKIE = 0x63825363;
/** Header, cookie and every option we emit, with room to spare. */
export const DHCP_MAX_EMIT_LEN = 300;

/** Message type (option 53) DISCOVER: a client broadcasts to find servers. */
export const DHCP_DISCOVER = 1;
/** Message type OFFER: a server proposes an address (yiaddr) in answer to DISCOVER. */
export const DHCP_OFFER = 2;
/** Message type REQUEST: the client asks for the offered address, or to renew its lease. */
export const DHCP_REQUEST = 3;
/** Message type DECLINE: the client found the offered address already in use. */
export const DHCP_DECLINE = 4;
/** Message type ACK: the server commits the lease; the client may now use the address. */
export const DHCP_ACK = 5;
/** Message type NAK: the server refuses the request; the client starts over with DISCOVER. */
export const DHCP_NAK = 6;

const OPT_PAD = 0;
const OPT_SUBNET_MASK = 1;
const OPT_ROUTER = 3;
const OPT_DNS = 6;
const OPT_REQUESTED_IP = 50;
const OPT_LEASE_TIME = 51;
const OPT_MESSAGE_TYPE = 53;
const OPT_SERVER_ID = 54;
const OPT_PARAMETER_LIST = 55;
const OPT_END = 255;

/** A DHCP message's header fields and the few options we use; parse() refills it in place, emit() writes it. */
export class Dhcpv4Repr {
  /** BOOTREQUEST from clients, BOOTREPLY from servers. */
  is_reply = false;
  message_type = 0;
  xid = 0;
  client_hardware_addr = 0;
  client_ip = 0;
  your_ip = 0;
  server_ip = 0;
  /** 0 when absent. */
  requested_ip = 0;
  server_identifier = 0;
  subnet_mask = 0;
  router = 0;
  dns_server = 0;
  /** Seconds; 0 when absent. */
  lease_time = 0;
  broadcast = true;

  parse(buffer: Uint8Array, offset: number, length: number): Drop {
    if (length < HEADER_LEN + 4) return Drop.Truncated;
    const op = buffer[offset];
    if ((op !== BOOTREQUEST && op !== BOOTREPLY) || buffer[offset + 1] !== 1 || buffer[offset + 2] !== 6) return Drop.Malformed;
    if (read_u32(buffer, offset + HEADER_LEN) !== MAGIC_COOKIE) return Drop.Malformed;
    this.is_reply = op === BOOTREPLY;
    this.xid = read_u32(buffer, offset + 4);
    this.broadcast = (read_u16(buffer, offset + 10) & 0x8000) !== 0;
    this.client_ip = read_u32(buffer, offset + 12);
    this.your_ip = read_u32(buffer, offset + 16);
    this.server_ip = read_u32(buffer, offset + 20);
    this.client_hardware_addr = read_mac(buffer, offset + 28);
    this.message_type = this.requested_ip = this.server_identifier = this.subnet_mask = 0;
    this.router = this.dns_server = this.lease_time = 0;
    const end = offset + length;
    let i = offset + HEADER_LEN + 4;
    while (i < end) {
      const code = buffer[i];
      if (code === OPT_END) break;
      if (code === OPT_PAD) {
        i++;
        continue;
      }
      if (i + 2 > end) return Drop.BadOption;
      const len = buffer[i + 1];
      const data = i + 2;
      if (data + len > end) return Drop.BadOption;
      if (code === OPT_MESSAGE_TYPE && len >= 1) this.message_type = buffer[data];
      else if (len >= 4) {
        const value = read_u32(buffer, data);
        if (code === OPT_SUBNET_MASK) this.subnet_mask = value;
        else if (code === OPT_ROUTER) this.router = value;
        else if (code === OPT_DNS) this.dns_server = value;
        else if (code === OPT_REQUESTED_IP) this.requested_ip = value;
        else if (code === OPT_LEASE_TIME) this.lease_time = value;
        else if (code === OPT_SERVER_ID) this.server_identifier = value;
      }
      i = data + len;
    }
    return this.message_type === 0 ? Drop.Malformed : Drop.None;
  }

  /** Write the message; returns its length (at most DHCP_MAX_EMIT_LEN). */
  emit(buffer: Uint8Array, offset: number): number {
    buffer.fill(0, offset, offset + HEADER_LEN);
    buffer[offset] = this.is_reply ? BOOTREPLY : BOOTREQUEST;
    buffer[offset + 1] = 1;
    buffer[offset + 2] = 6;
    write_u32(buffer, offset + 4, this.xid);
    write_u16(buffer, offset + 10, this.broadcast ? 0x8000 : 0);
    write_u32(buffer, offset + 12, this.client_ip);
    write_u32(buffer, offset + 16, this.your_ip);
    write_u32(buffer, offset + 20, this.server_ip);
    write_mac(buffer, offset + 28, this.client_hardware_addr);
    write_u32(buffer, offset + HEADER_LEN, MAGIC_COOKIE);
    let i = offset + HEADER_LEN + 4;
    buffer[i++] = OPT_MESSAGE_TYPE;
    buffer[i++] = 1;
    buffer[i++] = this.message_type;
    const u32_option = (code: number, value: number) => {
      if (value === 0) return;
      buffer[i] = code;
      buffer[i + 1] = 4;
      write_u32(buffer, i + 2, value);
      i += 6;
    };
    u32_option(OPT_REQUESTED_IP, this.requested_ip);
    u32_option(OPT_SERVER_ID, this.server_identifier);
    u32_option(OPT_LEASE_TIME, this.lease_time);
    u32_option(OPT_SUBNET_MASK, this.subnet_mask);
    u32_option(OPT_ROUTER, this.router);
    u32_option(OPT_DNS, this.dns_server);
    if (!this.is_reply) {
      buffer[i++] = OPT_PARAMETER_LIST;
      buffer[i++] = 3;
      buffer[i++] = OPT_SUBNET_MASK;
      buffer[i++] = OPT_ROUTER;
      buffer[i++] = OPT_DNS;
    }
    buffer[i++] = OPT_END;
    return i - offset;
  }
}
