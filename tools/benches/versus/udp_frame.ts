// Small UDP datagrams for flooding the guest: Ethernet II, IPv4 with a valid
// header checksum, UDP without a checksum (0, which IPv4 allows), 18 bytes
// of payload: a 64-byte frame on the wire once the NIC pads it.
const PAYLOAD = 18;
const SOURCE_PORT = 12345;

export interface UdpFlow {
  dst_mac: Uint8Array;
  src_mac: Uint8Array;
  src_ip: number;
  dst_ip: number;
  dst_port: number;
}

function ipv4_checksum(header: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < header.length; i += 2) sum += (header[i] << 8) | header[i + 1];
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

/** The flow's datagram number `seq` (the IP identification field). */
export function udp_frame(flow: UdpFlow, seq: number): Uint8Array {
  const ip_len = 20 + 8 + PAYLOAD;
  const frame = new Uint8Array(14 + ip_len);
  const view = new DataView(frame.buffer);
  frame.set(flow.dst_mac, 0);
  frame.set(flow.src_mac, 6);
  view.setUint16(12, 0x0800);
  const ip = frame.subarray(14, 34);
  ip[0] = 0x45;
  view.setUint16(16, ip_len);
  view.setUint16(18, seq & 0xffff);
  ip[8] = 64; // TTL
  ip[9] = 17; // UDP
  view.setUint32(26, flow.src_ip);
  view.setUint32(30, flow.dst_ip);
  view.setUint16(24, ipv4_checksum(ip));
  view.setUint16(34, SOURCE_PORT);
  view.setUint16(36, flow.dst_port);
  view.setUint16(38, 8 + PAYLOAD);
  return frame;
}
