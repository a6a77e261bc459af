// One line per frame, in tcpdump's words:
//
//   12:00:01.000123 IP 10.0.2.2 > 10.0.2.15: ICMP echo request, id 4660, seq 1, length 64
//   12:00:01.000456 ARP, Request who-has 10.0.2.15 tell 10.0.2.2, length 28
//   12:00:01.000789 IP 10.0.2.2.40007 > 10.0.2.15.23: Flags [S], seq 1000, win 65535, options [mss 1460], length 0
//   12:00:01.001012 IP 10.0.2.15.7 > 10.0.2.2.40123: UDP, length 4
//
// TCP sequence numbers are shown as they are on the wire (tcpdump -S), not
// relative to the first one. A field cut off by the snap length ends the
// line with "[|proto]", as tcpdump does.
import { ipv4_to_string, mac_to_string } from "../../../../../net/wire/address";
import { read_mac, read_u16, read_u32 } from "../../../../../net/wire/bytes";
import { ARP_REPLY, ARP_REQUEST } from "../../../../../net/wire/arp";
import { ETHERNET_HEADER_LEN, ETHERTYPE_ARP, ETHERTYPE_IPV4 } from "../../../../../net/wire/ethernet";
import { ICMP_CODE_PORT_UNREACHABLE, ICMP_DEST_UNREACHABLE, ICMP_ECHO_REPLY, ICMP_ECHO_REQUEST } from "../../../../../net/wire/icmpv4";
import { IP_PROTOCOL_ICMP, IP_PROTOCOL_TCP, IP_PROTOCOL_UDP } from "../../../../../net/wire/ipv4";
import { TCP_ACK, TCP_FIN, TCP_PSH, TCP_RST, TCP_SYN } from "../../../../../net/wire/tcp";
import type { PacketHeaders } from "./packet_headers";
import { port_name } from "./well_known_ports";

/** How to print: service names for ports unless numeric (-n). */
export interface LineOptions {
  numeric: boolean;
}

const TCP_URG = 0x20;
const TCP_ECE = 0x40;
const TCP_CWR = 0x80;
/** tcpdump's letters for the TCP flags, in its order; ACK is the dot. */
const TCP_FLAG_LETTERS: readonly [number, string][] = [
  [TCP_FIN, "F"],
  [TCP_SYN, "S"],
  [TCP_RST, "R"],
  [TCP_PSH, "P"],
  [TCP_URG, "U"],
  [TCP_ECE, "E"],
  [TCP_CWR, "W"],
  [TCP_ACK, "."],
];
const TCP_MIN_HEADER = 20;
const UDP_HEADER = 8;
const ICMP_MIN_HEADER = 8;

/** "HH:MM:SS.uuuuuu" (UTC) of a time in µs since the Unix epoch. */
export function format_time(epoch_us: number): string {
  const us = Math.floor(epoch_us);
  const seconds_of_day = Math.floor(us / 1e6) % 86400;
  const two = (n: number) => String(n).padStart(2, "0");
  const h = Math.floor(seconds_of_day / 3600);
  const m = Math.floor(seconds_of_day / 60) % 60;
  return `${two(h)}:${two(m)}:${two(seconds_of_day % 60)}.${String(us % 1e6).padStart(6, "0")}`;
}

/** What tcpdump prints after the time for the frame `h` holds, `length` bytes on the wire. */
export function describe_frame(h: PacketHeaders, length: number, options: LineOptions): string {
  if (h.ethertype < 0) return `[|ether], length ${length}`;
  if (h.arp) return describe_arp(h, length);
  if (h.ip) return describe_ipv4(h, options);
  if (h.ethertype === ETHERTYPE_ARP) return `ARP, [|arp], length ${length - ETHERNET_HEADER_LEN}`;
  if (h.ethertype === ETHERTYPE_IPV4) return `IP [|ip], length ${length - ETHERNET_HEADER_LEN}`;
  return `ethertype 0x${h.ethertype.toString(16).padStart(4, "0")}, length ${length}`;
}

function describe_arp(h: PacketHeaders, length: number): string {
  const tail = `, length ${length - ETHERNET_HEADER_LEN}`;
  const target = ipv4_to_string(h.arp_tpa);
  const sender = ipv4_to_string(h.arp_spa);
  if (h.arp_operation === ARP_REQUEST) return `ARP, Request who-has ${target} tell ${sender}${tail}`;
  if (h.arp_operation === ARP_REPLY) return `ARP, Reply ${sender} is-at ${mac_to_string(read_mac(h.buffer, h.arp_sha_offset))}${tail}`;
  return `ARP, Unknown operation (${h.arp_operation})${tail}`;
}

function describe_ipv4(h: PacketHeaders, options: LineOptions): string {
  const src = ipv4_to_string(h.ip_src);
  const dst = ipv4_to_string(h.ip_dst);
  if (h.fragment_offset > 0) {
    const proto =
      h.ip_protocol === IP_PROTOCOL_TCP
        ? "tcp"
        : h.ip_protocol === IP_PROTOCOL_UDP
          ? "udp"
          : h.ip_protocol === IP_PROTOCOL_ICMP
            ? "icmp"
            : `ip-proto-${h.ip_protocol}`;
    return `IP ${src} > ${dst}: ${proto}${fragment_note(h)}`;
  }
  let text: string;
  switch (h.ip_protocol) {
    case IP_PROTOCOL_TCP:
      text = with_ports(h, src, dst, options) + describe_tcp(h);
      break;
    case IP_PROTOCOL_UDP:
      text = with_ports(h, src, dst, options) + describe_udp(h);
      break;
    case IP_PROTOCOL_ICMP:
      text = `IP ${src} > ${dst}: ${describe_icmp(h)}`;
      break;
    default:
      text = `IP ${src} > ${dst}: ip-proto-${h.ip_protocol} ${h.transport_len}`;
  }
  return text + fragment_note(h);
}

/** A fragment's identity, offset and length, as tcpdump's "(frag ID:LEN@OFFSET+)". */
function fragment_note(h: PacketHeaders): string {
  if (!h.more_fragments && h.fragment_offset === 0) return "";
  return ` (frag ${h.ip_ident}:${h.transport_len}@${h.fragment_offset}${h.more_fragments ? "+" : ""})`;
}

function with_ports(h: PacketHeaders, src: string, dst: string, options: LineOptions): string {
  if (h.src_port < 0) return `IP ${src} > ${dst}: `;
  const port = (p: number) => (options.numeric ? String(p) : port_name(p));
  return `IP ${src}.${port(h.src_port)} > ${dst}.${port(h.dst_port)}: `;
}

function describe_tcp(h: PacketHeaders): string {
  const b = h.buffer,
    at = h.transport_offset;
  const captured = h.transport_captured();
  if (captured < TCP_MIN_HEADER) return "[|tcp]";
  const header_len = (b[at + 12] >> 4) * 4;
  const flags = b[at + 13];
  const seq = read_u32(b, at + 4);
  const payload = h.transport_len - header_len;
  let text = `Flags [${tcp_flags(flags)}]`;
  if (payload > 0 || (flags & (TCP_SYN | TCP_FIN | TCP_RST)) !== 0) {
    text += `, seq ${seq}`;
    if (payload > 0) text += `:${(seq + payload) >>> 0}`;
  }
  if (flags & TCP_ACK) text += `, ack ${read_u32(b, at + 8)}`;
  text += `, win ${read_u16(b, at + 14)}`;
  if (header_len > TCP_MIN_HEADER) {
    text += captured < header_len ? ", options [|tcp]" : `, options [${tcp_options(b, at + TCP_MIN_HEADER, at + header_len)}]`;
  }
  return `${text}, length ${Math.max(0, payload)}`;
}

function tcp_flags(flags: number): string {
  let text = "";
  for (const [bit, letter] of TCP_FLAG_LETTERS) if (flags & bit) text += letter;
  return text === "" ? "none" : text;
}

/** The options between `at` and `end`: mss, nop, wscale, sackOK, sack, TS; others by kind. */
function tcp_options(b: Uint8Array, at: number, end: number): string {
  const parts: string[] = [];
  while (at < end) {
    const kind = b[at];
    if (kind === 0) {
      parts.push("eol");
      break;
    }
    if (kind === 1) {
      parts.push("nop");
      at++;
      continue;
    }
    const len = b[at + 1];
    if (!(len >= 2) || at + len > end) {
      parts.push("bad opt");
      break;
    }
    if (kind === 2 && len === 4) parts.push(`mss ${read_u16(b, at + 2)}`);
    else if (kind === 3 && len === 3) parts.push(`wscale ${b[at + 2]}`);
    else if (kind === 4 && len === 2) parts.push("sackOK");
    else if (kind === 5) parts.push(`sack ${(len - 2) >> 3}`);
    else if (kind === 8 && len === 10) parts.push(`TS val ${read_u32(b, at + 2)} ecr ${read_u32(b, at + 6)}`);
    else parts.push(`opt-${kind}:${len}`);
    at += len;
  }
  return parts.join(",");
}

function describe_udp(h: PacketHeaders): string {
  if (h.transport_captured() < UDP_HEADER) return "[|udp]";
  return `UDP, length ${Math.max(0, read_u16(h.buffer, h.transport_offset + 4) - UDP_HEADER)}`;
}

function describe_icmp(h: PacketHeaders): string {
  const b = h.buffer,
    at = h.transport_offset;
  const length = `, length ${h.transport_len}`;
  if (h.transport_captured() < ICMP_MIN_HEADER) return "[|icmp]";
  const type = b[at];
  const code = b[at + 1];
  if (type === ICMP_ECHO_REQUEST || type === ICMP_ECHO_REPLY) {
    const what = type === ICMP_ECHO_REQUEST ? "request" : "reply";
    return `ICMP echo ${what}, id ${read_u16(b, at + 4)}, seq ${read_u16(b, at + 6)}${length}`;
  }
  if (type === ICMP_DEST_UNREACHABLE && code === ICMP_CODE_PORT_UNREACHABLE) {
    return `ICMP ${quoted_port_unreachable(h, at + ICMP_MIN_HEADER)}${length}`;
  }
  return `ICMP type ${type}, code ${code}${length}`;
}

/** "10.0.2.15 udp port 4444 unreachable", from the datagram the error quotes. */
function quoted_port_unreachable(h: PacketHeaders, quote: number): string {
  const b = h.buffer;
  const end = h.offset + h.caplen;
  const header_len = (b[quote] & 0x0f) * 4;
  if (header_len < 20 || quote + header_len + 4 > end) return "port unreachable";
  const protocol = b[quote + 9] === IP_PROTOCOL_TCP ? "tcp" : b[quote + 9] === IP_PROTOCOL_UDP ? "udp" : `ip-proto-${b[quote + 9]}`;
  return `${ipv4_to_string(read_u32(b, quote + 16))} ${protocol} port ${read_u16(b, quote + header_len + 2)} unreachable`;
}
