// Recognises the guest's ICMP "port unreachable" for one of our UDP
// datagrams: its answer when nothing listens on the port (RFC 1122 3.2.2.1),
// so the page can say so instead of showing a silent zero.
const ETHERTYPE_IPV4 = 0x0800;
const IP_PROTOCOL_ICMP = 1;
const IP_PROTOCOL_UDP = 17;
const ICMP_DEST_UNREACHABLE = 3;
const ICMP_CODE_PORT_UNREACHABLE = 3;

/** Whether an Ethernet frame is a port unreachable quoting a UDP datagram from `src_port` to `dst_port`. */
export function is_port_unreachable(frame: Uint8Array, src_port: number, dst_port: number): boolean {
  const ip = 14;
  if (frame.length < ip + 20 || ((frame[12] << 8) | frame[13]) !== ETHERTYPE_IPV4 || frame[ip + 9] !== IP_PROTOCOL_ICMP) return false;
  const icmp = ip + (frame[ip] & 0x0f) * 4;
  const quoted_ip = icmp + 8;
  if (frame.length < quoted_ip + 20 || frame[icmp] !== ICMP_DEST_UNREACHABLE || frame[icmp + 1] !== ICMP_CODE_PORT_UNREACHABLE)
    return false;
  if (frame[quoted_ip + 9] !== IP_PROTOCOL_UDP) return false;
  const udp = quoted_ip + (frame[quoted_ip] & 0x0f) * 4;
  if (frame.length < udp + 4) return false;
  return ((frame[udp] << 8) | frame[udp + 1]) === src_port && ((frame[udp + 2] << 8) | frame[udp + 3]) === dst_port;
}
