// Builders for test frames, using the stack's own reprs.
import { ArpRepr, ARP_PACKET_LEN } from "../../net/wire/arp";
import { EthernetFrame, ETHERNET_HEADER_LEN, ETHERTYPE_ARP, ETHERTYPE_IPV4 } from "../../net/wire/ethernet";
import { Icmpv4Repr } from "../../net/wire/icmpv4";
import { Ipv4Repr, IPV4_HEADER_LEN, IP_PROTOCOL_ICMP, IP_PROTOCOL_TCP, IP_PROTOCOL_UDP } from "../../net/wire/ipv4";
import { TcpRepr } from "../../net/wire/tcp";
import { UdpRepr } from "../../net/wire/udp";
import { Device, DeviceCapabilities, Frame } from "../../net/iface/device";

const eth = new EthernetFrame();

export function ip_frame(
  dst_mac: number,
  src_mac: number,
  src: number,
  dst: number,
  protocol: number,
  payload_len: number,
  write_payload: (buffer: Uint8Array, offset: number) => void,
): Uint8Array {
  const frame = new Uint8Array(ETHERNET_HEADER_LEN + IPV4_HEADER_LEN + payload_len);
  eth.point(frame, 0, frame.length).emit(dst_mac, src_mac, ETHERTYPE_IPV4);
  const ip = new Ipv4Repr();
  ip.src_addr = src;
  ip.dst_addr = dst;
  ip.protocol = protocol;
  ip.payload_len = payload_len;
  ip.emit(frame, ETHERNET_HEADER_LEN, true);
  write_payload(frame, ETHERNET_HEADER_LEN + IPV4_HEADER_LEN);
  return frame;
}

export function tcp_frame(dst_mac: number, src_mac: number, src: number, dst: number, repr: TcpRepr): Uint8Array {
  return ip_frame(dst_mac, src_mac, src, dst, IP_PROTOCOL_TCP, repr.buffer_len(), (b, o) => repr.emit(b, o, src, dst, true));
}

export function udp_frame(
  dst_mac: number,
  src_mac: number,
  src: number,
  dst: number,
  src_port: number,
  dst_port: number,
  data: Uint8Array,
): Uint8Array {
  const repr = new UdpRepr();
  repr.src_port = src_port;
  repr.dst_port = dst_port;
  repr.payload = data;
  repr.payload_len = data.length;
  return ip_frame(dst_mac, src_mac, src, dst, IP_PROTOCOL_UDP, repr.buffer_len(), (b, o) => repr.emit(b, o, src, dst, true));
}

export function icmp_echo_frame(
  dst_mac: number,
  src_mac: number,
  src: number,
  dst: number,
  type: number,
  ident: number,
  seq: number,
  data: Uint8Array,
): Uint8Array {
  const repr = new Icmpv4Repr().echo(type, ident, seq, data, 0, data.length);
  return ip_frame(dst_mac, src_mac, src, dst, IP_PROTOCOL_ICMP, repr.buffer_len(), (b, o) => repr.emit(b, o, true));
}

export function arp_frame(
  dst_mac: number,
  src_mac: number,
  operation: number,
  sha: number,
  spa: number,
  tha: number,
  tpa: number,
): Uint8Array {
  const frame = new Uint8Array(ETHERNET_HEADER_LEN + ARP_PACKET_LEN);
  eth.point(frame, 0, frame.length).emit(dst_mac, src_mac, ETHERTYPE_ARP);
  const arp = new ArpRepr();
  arp.operation = operation;
  arp.source_hardware_addr = sha;
  arp.source_protocol_addr = spa;
  arp.target_hardware_addr = tha;
  arp.target_protocol_addr = tpa;
  arp.emit(frame, ETHERNET_HEADER_LEN);
  return frame;
}

/** A device fed by the test: queue frames with inject(), inspect what was sent in `sent`. */
export class ScriptDevice implements Device {
  readonly capabilities: DeviceCapabilities;
  readonly queue: Uint8Array[] = [];
  readonly sent: Uint8Array[] = [];
  keep_sent = true;
  private readonly rx: Frame = { buffer: new Uint8Array(0), offset: 0, length: 0 };
  private readonly tx: Frame = { buffer: new Uint8Array(2048), offset: 0, length: 0 };

  constructor(capabilities: Partial<DeviceCapabilities> = {}) {
    this.capabilities = {
      max_transmission_unit: 1514,
      max_burst_size: 16,
      checksum_rx_offload: false,
      checksum_tx_offload: false,
      ...capabilities,
    };
  }

  inject(frame: Uint8Array): void {
    this.queue.push(frame);
  }

  receive(): Frame | null {
    const frame = this.queue.shift();
    if (frame === undefined) return null;
    this.rx.buffer = frame;
    this.rx.length = frame.length;
    return this.rx;
  }

  transmit(_now: number, length: number): Frame | null {
    this.tx.length = length;
    return this.tx;
  }

  transmit_commit(): void {
    if (this.keep_sent) this.sent.push(this.tx.buffer.slice(0, this.tx.length));
  }
}
