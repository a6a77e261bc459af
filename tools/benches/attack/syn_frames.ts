// SYN segments as raw Ethernet frames, from addresses no machine on the wire
// owns: the guest's SYN-ACK waits for an ARP answer that never comes, as it
// would for a spoofed flood on a real LAN.
import { ipv4 } from "../../../net/wire/address";
import { EthernetFrame, ETHERNET_HEADER_LEN, ETHERTYPE_IPV4 } from "../../../net/wire/ethernet";
import { Ipv4Repr, IP_PROTOCOL_TCP, IPV4_HEADER_LEN } from "../../../net/wire/ipv4";
import { TcpRepr, TCP_SYN } from "../../../net/wire/tcp";

/** Spoofed sources: 10.0.2.128 to 10.0.2.254, which neither the gateway, DHCP nor the station uses. */
const FIRST_SPOOFED = ipv4("10.0.2.128");
const SPOOFED_COUNT = 127;

/** A source of spoofed SYNs to one port of the guest; each frame comes from another address, port and MAC. */
export class SynSource {
  private readonly tcp = new TcpRepr();
  private readonly ip = new Ipv4Repr();
  private readonly eth = new EthernetFrame();
  private n = 0;

  constructor(
    private readonly guest_mac: number,
    private readonly guest_addr: number,
    port: number,
  ) {
    this.tcp.flags = TCP_SYN;
    this.tcp.window_len = 64240;
    this.tcp.max_seg_size = 1460;
    this.tcp.dst_port = port;
    this.ip.dst_addr = guest_addr;
    this.ip.protocol = IP_PROTOCOL_TCP;
    this.ip.payload_len = this.tcp.buffer_len();
  }

  /** The next frame, a fresh buffer (the link keeps it). */
  next(): Uint8Array {
    const n = this.n++;
    const src = FIRST_SPOOFED + (n % SPOOFED_COUNT);
    this.tcp.src_port = 1024 + ((n * 7919) % 64000);
    this.tcp.seq_number = (n * 2654435761) | 0;
    this.ip.src_addr = src;
    this.ip.ident = n & 0xffff;
    const frame = new Uint8Array(ETHERNET_HEADER_LEN + this.ip.buffer_len());
    this.eth.point(frame, 0, ETHERNET_HEADER_LEN).emit(this.guest_mac, 0x02_00_5f_00_00_00 + (src & 0xff), ETHERTYPE_IPV4);
    this.ip.emit(frame, ETHERNET_HEADER_LEN, true);
    this.tcp.emit(frame, ETHERNET_HEADER_LEN + IPV4_HEADER_LEN, src, this.guest_addr, true);
    return frame;
  }
}
