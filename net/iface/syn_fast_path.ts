// SYN cookies straight off the device, for a SYN flood. While a listener's
// half-open queue is full, every SYN for it is answered with a cookie and
// nothing is kept (see net/socket/syncookies.ts); the stack's way to that
// answer (Ethernet, IPv4, TCP views and reprs, the route, ARP, the
// neighbour queue, the header objects of the SYN-ACK) costs more than a
// flood leaves time for, so the card's ring overflows and real clients'
// frames are lost with the flood's. Here the SYN is read from the frame's
// bytes and the SYN-ACK written into the device's transmit frame, addressed
// to the MAC the SYN came from, as an XDP program answers a SYN flood in
// Linux (xdp_synproxy: bpf_tcp_raw_gen_syncookie_ipv4, then XDP_TX). No ARP:
// a spoofed source would never answer it.
//
// Only the plainest SYN is taken (IPv4 without options or fragmentation,
// flags SYN alone, well-formed TCP options); anything else, and every
// decision about sockets, is the interface's (answer_syn_flood).
import { copy_bytes, NO_BYTES } from "../wire/bytes";
import { checksum_finish, checksum_sum } from "../wire/checksum";
import { ETHERNET_HEADER_LEN } from "../wire/ethernet";
import { IPV4_HEADER_LEN, IP_PROTOCOL_TCP } from "../wire/ipv4";
import { PLAIN_TCP_MIN_TOTAL, plain_tcp_ip_total } from "../wire/plain_tcp";
import { TCP_ACK, TCP_HEADER_LEN, TCP_SYN } from "../wire/tcp";
import { W_DST, W_DST_MAC, W_DST_PORT, W_SRC, W_SRC_MAC, W_SRC_PORT, WordView } from "../wire/words";

// Offsets in the frame (Ethernet, then IPv4 without options, then TCP).
const IP = ETHERNET_HEADER_LEN;
const TCP = IP + IPV4_HEADER_LEN;
/** Where a plain SYN's TCP flags are: poll_ingress_single looks there before calling. */
export const SYN_FLAGS_AT = TCP + 13;

const OPTION_END = 0;
const OPTION_NOP = 1;
const OPTION_MSS = 2;
/** The SYN-ACK's one option, the MSS: kind, length, value. */
const MSS_OPTION_LEN = 4;
/** The SYN-ACK as a frame: Ethernet, IPv4, TCP with the MSS option. */
export const SYNACK_FRAME_LEN = TCP + TCP_HEADER_LEN + MSS_OPTION_LEN;
const SYNACK_TCP_LEN = TCP_HEADER_LEN + MSS_OPTION_LEN;
const TTL = 64;

/** A SYN read from a received frame, and the SYN-ACK to it written into another. One instance per interface, reused. */
export class SynFrame {
  src = 0;
  dst = 0;
  src_port = 0;
  dst_port = 0;
  seq = 0;
  /** The MSS the SYN offers, 0 without the option. */
  mss = 0;
  /** The SYN's frame, at offset o; rx_view has it as 16-bit words (see wire/words.ts). */
  private frame: Uint8Array = NO_BYTES;
  private o = 0;
  private readonly rx_view = new WordView();
  private readonly tx_view = new WordView();
  /** A SYN-ACK with the bytes that vary left zero. */
  private readonly template: Uint8Array;

  /** `own_mac` (6 bytes): the interface's address, from which SYN-ACKs go. */
  constructor(own_mac: Uint8Array) {
    this.template = SynFrame.template_for(own_mac);
  }

  /**
   * Read the frame at b[o, o + length), addressed to our MAC (the caller
   * looked), as a SYN: false when it is not the plainest SYN, or does not
   * check out (the stack then takes it, and counts what is wrong with it).
   * `verify` says whether checksums must be checked (the device did not).
   */
  read(b: Uint8Array, o: number, length: number, verify: boolean): boolean {
    if (length < TCP + TCP_HEADER_LEN || (o & 1) !== 0) return false;
    const ip = o + IP;
    const tcp = o + TCP;
    if (b[tcp + 13] !== TCP_SYN) return false; // a SYN, and nothing else
    const view = this.rx_view;
    if (b !== view.bytes && !view.point(b)) return false;
    const ip_total = plain_tcp_ip_total(b, view.words, o, length, PLAIN_TCP_MIN_TOTAL, 0xffff, verify);
    if (ip_total < 0) return false;
    const header_len = (b[tcp + 12] >>> 4) * 4;
    if (header_len < TCP_HEADER_LEN || header_len > ip_total - IPV4_HEADER_LEN) return false;
    const mss = read_mss(b, tcp + TCP_HEADER_LEN, tcp + header_len);
    if (mss < 0) return false;
    this.mss = mss;
    this.src = ((b[ip + 12] << 24) | (b[ip + 13] << 16) | (b[ip + 14] << 8) | b[ip + 15]) >>> 0;
    this.dst = ((b[ip + 16] << 24) | (b[ip + 17] << 16) | (b[ip + 18] << 8) | b[ip + 19]) >>> 0;
    this.src_port = (b[tcp] << 8) | b[tcp + 1];
    this.dst_port = (b[tcp + 2] << 8) | b[tcp + 3];
    this.seq = (b[tcp + 4] << 24) | (b[tcp + 5] << 16) | (b[tcp + 6] << 8) | b[tcp + 7];
    this.frame = b;
    this.o = o;
    return true;
  }

  /**
   * Write the SYN-ACK to the SYN last read into out[p, p + SYNACK_FRAME_LEN):
   * back to the MAC it came from, from ours, with IPv4 ident `ident`,
   * sequence number `cookie`, and our `window` and `mss`. `checksums` is
   * false when the device computes them.
   */
  write_synack(out: Uint8Array, p: number, ident: number, cookie: number, window: number, mss: number, checksums: boolean): void {
    // What every SYN-ACK from here shares, then what is this one's own.
    copy_bytes(out, p, this.template, 0, SYNACK_FRAME_LEN);
    const view = this.tx_view;
    if ((p & 1) === 0 && (out === view.bytes || view.point(out))) {
      // Back to where the SYN came from, its addresses and ports swapped: copied as loaded.
      const words = this.rx_view.words,
        w = this.o >>> 1,
        to = view.words,
        t = p >>> 1;
      to[t + W_DST_MAC] = words[w + W_SRC_MAC];
      to[t + W_DST_MAC + 1] = words[w + W_SRC_MAC + 1];
      to[t + W_DST_MAC + 2] = words[w + W_SRC_MAC + 2];
      to[t + W_SRC] = words[w + W_DST];
      to[t + W_SRC + 1] = words[w + W_DST + 1];
      to[t + W_DST] = words[w + W_SRC];
      to[t + W_DST + 1] = words[w + W_SRC + 1];
      to[t + W_SRC_PORT] = words[w + W_DST_PORT];
      to[t + W_DST_PORT] = words[w + W_SRC_PORT];
    } else {
      this.write_back_bytes(out, p); // a frame at an odd address: byte by byte
    }
    const ip = p + IP;
    out[ip + 4] = ident >>> 8;
    out[ip + 5] = ident;
    const tcp = p + TCP;
    const ack = (this.seq + 1) | 0;
    out[tcp + 4] = cookie >>> 24;
    out[tcp + 5] = cookie >>> 16;
    out[tcp + 6] = cookie >>> 8;
    out[tcp + 7] = cookie;
    out[tcp + 8] = ack >>> 24;
    out[tcp + 9] = ack >>> 16;
    out[tcp + 10] = ack >>> 8;
    out[tcp + 11] = ack;
    out[tcp + 14] = window >>> 8;
    out[tcp + 15] = window;
    out[tcp + 22] = mss >>> 8;
    out[tcp + 23] = mss;
    if (checksums) {
      const ip_sum = checksum_finish(checksum_sum(out, ip, IPV4_HEADER_LEN, 0));
      out[ip + 10] = ip_sum >>> 8;
      out[ip + 11] = ip_sum;
      const tcp_sum = checksum_finish(checksum_sum(out, ip + 12, 8 + SYNACK_TCP_LEN, IP_PROTOCOL_TCP + SYNACK_TCP_LEN));
      out[tcp + 16] = tcp_sum >>> 8;
      out[tcp + 17] = tcp_sum;
    }
  }

  /** Address out[p...] back to where the SYN came from, its addresses and ports swapped, a byte at a time. */
  private write_back_bytes(out: Uint8Array, p: number): void {
    const b = this.frame,
      o = this.o;
    copy_bytes(out, p, b, o + 6, 6);
    copy_bytes(out, p + IP + 12, b, o + IP + 16, 4);
    copy_bytes(out, p + IP + 16, b, o + IP + 12, 4);
    copy_bytes(out, p + TCP, b, o + TCP + 2, 2);
    copy_bytes(out, p + TCP + 2, b, o + TCP, 2);
  }

  /** The bytes all SYN-ACKs from `own_mac` share; the rest are zero, for write_synack to fill in. */
  private static template_for(own_mac: Uint8Array): Uint8Array {
    const t = new Uint8Array(SYNACK_FRAME_LEN);
    t.set(own_mac, 6);
    t[12] = 0x08; // IPv4
    const total = IPV4_HEADER_LEN + SYNACK_TCP_LEN;
    t[IP] = 0x45;
    t[IP + 2] = total >>> 8;
    t[IP + 3] = total;
    t[IP + 6] = 0x40; // don't fragment
    t[IP + 8] = TTL;
    t[IP + 9] = IP_PROTOCOL_TCP;
    t[TCP + 12] = (SYNACK_TCP_LEN / 4) << 4;
    t[TCP + 13] = TCP_SYN | TCP_ACK;
    t[TCP + 20] = OPTION_MSS;
    t[TCP + 21] = MSS_OPTION_LEN;
    return t;
  }
}

/** The MSS option's value among the TCP options in b[i, end), 0 if there is none, -1 if the options are malformed. */
function read_mss(b: Uint8Array, i: number, end: number): number {
  let mss = 0;
  while (i < end) {
    const kind = b[i];
    if (kind === OPTION_END) break;
    if (kind === OPTION_NOP) {
      i++;
      continue;
    }
    if (i + 1 >= end) return -1;
    const len = b[i + 1];
    if (len < 2 || i + len > end) return -1;
    if (kind === OPTION_MSS) {
      if (len !== MSS_OPTION_LEN) return -1;
      mss = (b[i + 2] << 8) | b[i + 3];
    }
    i += len;
  }
  return mss;
}
