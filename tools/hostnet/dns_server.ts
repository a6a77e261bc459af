// The user network's name server: a few fixed names (the host is "host" and
// "gateway"), NXDOMAIN for everything else. No recursion, no forwarding.
import { SocketSet } from "../../net/socket/socket_set";
import { UdpSocket } from "../../net/socket/udp";
import {
  build_error,
  build_response,
  DNS_PORT,
  parse_question,
  RCODE_FORMERR,
  RCODE_NOERROR,
  RCODE_NOTIMP,
  RCODE_NXDOMAIN,
} from "../../net/wire/dns";

const OPCODE_QUERY = 0;

export class DnsServer {
  readonly udp = new UdpSocket(16, 16 * 1024);
  private readonly buffer = new Uint8Array(512); // RFC 1035 §4.2.1: UDP messages are at most 512 bytes

  /** `names` maps a lower-case name to its IPv4 address. */
  constructor(
    sockets: SocketSet,
    address: number,
    readonly names: Map<string, number>,
  ) {
    this.udp.bind(DNS_PORT, address);
    sockets.add_udp(this.udp);
  }

  poll(): void {
    while (this.udp.can_recv()) {
      const len = this.udp.recv_slice(this.buffer);
      const reply = this.answer(this.buffer, len);
      if (reply !== null) this.udp.send_slice(reply, this.udp.last_src_addr, this.udp.last_src_port);
    }
  }

  /** The reply to one message, or null when it deserves none. */
  answer(msg: Uint8Array, len: number): Uint8Array | null {
    const q = parse_question(msg, len);
    if (q === null) return build_error(msg, len, RCODE_FORMERR);
    if (((q.flags >> 11) & 0xf) !== OPCODE_QUERY) return build_response(msg, q, RCODE_NOTIMP, null);
    const address = this.names.get(q.name);
    if (address === undefined) return build_response(msg, q, RCODE_NXDOMAIN, null);
    return build_response(msg, q, RCODE_NOERROR, address); // a known name but not type A: no answer (NODATA)
  }
}
