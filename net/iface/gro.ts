// GRO, generic receive offload (Linux's napi_gro_receive; DragonOS's NAPI
// design has it too): within one NAPI poll, the in-order TCP segments of one
// flow are merged into a single segment before the stack sees them, so a
// burst of frames pays for IP, TCP and the socket once instead of once per
// frame. Each frame still has its headers and checksums checked here; what
// fails any check, or is not a plain data segment, goes up the stack alone.
//
// Only the simplest segments merge: IPv4 without options or fragmentation,
// TCP without options, flags ACK (PSH allowed), some payload, the same
// addresses, ports and acknowledgment number, and a sequence number that
// continues the held segment. The merged segment keeps the first frame's
// headers, with the total length, the latest window and PSH (if any frame
// had it) written in; its checksums are not recomputed: the stack takes it
// as checked (Linux's CHECKSUM_UNNECESSARY).
import { copy_bytes } from "../wire/bytes";
import { checksum_sum } from "../wire/checksum";
import { ETHERNET_HEADER_LEN } from "../wire/ethernet";
import { IPV4_HEADER_LEN, IP_PROTOCOL_TCP } from "../wire/ipv4";
import { TCP_ACK, TCP_HEADER_LEN, TCP_PSH } from "../wire/tcp";

/** The frame was merged into the held segment (or started one): nothing more to do with it now. */
export const GRO_HELD = 0;
/** A frame that could merge, but not with the held segment: hand that one to the stack, then offer the frame again. */
export const GRO_FLUSH_FIRST = 1;
/** Not a segment GRO takes: the stack processes it as it is (after the held segment, if any). */
export const GRO_NORMAL = 2;

// Offsets in the frame (Ethernet, then IPv4 without options, then TCP without options).
const IP = ETHERNET_HEADER_LEN;
const TCP = IP + IPV4_HEADER_LEN;
const PAYLOAD = TCP + TCP_HEADER_LEN;
/** The most an IPv4 packet can hold: the merged segment stops growing before it would pass this. */
const MAX_IP_TOTAL = 0xffff;

/** One interface's GRO: at most one segment held, from the frames of the poll in progress. */
export class Gro {
  /** Frames merged into the held segment; 0 when none is held. */
  frames = 0;
  /** The held segment as one Ethernet frame; made at the first hold. */
  buffer = new Uint8Array(0);
  /** Its length in bytes (headers included). */
  length = 0;
  private src = 0;
  private dst = 0;
  private ports = 0;
  private ack = 0;
  private next_seq = 0;

  /**
   * Offer a received frame: GRO_HELD if it joined (or started) the held
   * segment, GRO_FLUSH_FIRST if the held segment must go to the stack before
   * this frame can start a new one, GRO_NORMAL if the frame is not for GRO.
   * The caller has seen that the frame is addressed to the interface's MAC;
   * `verify` says whether checksums must be checked (the device did not).
   */
  receive(b: Uint8Array, o: number, length: number, verify: boolean): number {
    if (length < PAYLOAD) return GRO_NORMAL;
    // Where the IP and TCP headers start. (The header fields are read with
    // these, unrolled and inline: in the guest's interpreter a loop step or
    // a call costs more than the loads themselves.)
    const ip = o + IP;
    const tcp = o + TCP;
    // Data and an ACK, nothing else (where TCP's flags would be: a SYN or a
    // flood of them, most often the frames this turns away, go first).
    const flags = b[tcp + 13];
    if ((flags & ~TCP_PSH) !== TCP_ACK) return GRO_NORMAL;
    if (b[o + 12] !== 0x08 || b[o + 13] !== 0x00) return GRO_NORMAL; // IPv4
    if (b[ip] !== 0x45 || b[ip + 9] !== IP_PROTOCOL_TCP) return GRO_NORMAL; // no IP options; TCP
    if ((b[ip + 6] & 0x3f) !== 0 || b[ip + 7] !== 0) return GRO_NORMAL; // not a fragment
    if (b[tcp + 12] !== TCP_HEADER_LEN << 2) return GRO_NORMAL; // no TCP options
    const ip_total = (b[ip + 2] << 8) | b[ip + 3];
    // Some payload, and no more than the frame holds (it may carry padding after).
    if (ip_total <= IPV4_HEADER_LEN + TCP_HEADER_LEN || IP + ip_total > length) return GRO_NORMAL;
    // No room for another as large (a 64 KiB MTU's segments): holding it would only copy it.
    if (2 * ip_total > MAX_IP_TOTAL) return GRO_NORMAL;
    if (verify) {
      if (checksum_sum(b, ip, IPV4_HEADER_LEN, 0) !== 0xffff) return GRO_NORMAL;
      // The pseudo-header's addresses lie just before the TCP header: one sum
      // from the source address to the end of the segment covers both.
      const tcp_len = ip_total - IPV4_HEADER_LEN;
      if (checksum_sum(b, ip + 12, 8 + tcp_len, IP_PROTOCOL_TCP + tcp_len) !== 0xffff) return GRO_NORMAL;
    }
    const src = (b[ip + 12] << 24) | (b[ip + 13] << 16) | (b[ip + 14] << 8) | b[ip + 15];
    const dst = (b[ip + 16] << 24) | (b[ip + 17] << 16) | (b[ip + 18] << 8) | b[ip + 19];
    const ports = (b[tcp] << 24) | (b[tcp + 1] << 16) | (b[tcp + 2] << 8) | b[tcp + 3];
    const seq = (b[tcp + 4] << 24) | (b[tcp + 5] << 16) | (b[tcp + 6] << 8) | b[tcp + 7];
    const ack = (b[tcp + 8] << 24) | (b[tcp + 9] << 16) | (b[tcp + 10] << 8) | b[tcp + 11];
    const payload = ip_total - IPV4_HEADER_LEN - TCP_HEADER_LEN;
    if (this.frames === 0) {
      this.hold(b, o, ip_total, src, dst, ports, seq, ack, payload);
      return GRO_HELD;
    }
    const continues = src === this.src && dst === this.dst && ports === this.ports && ack === this.ack && seq === this.next_seq;
    if (!continues || this.length - IP + payload > MAX_IP_TOTAL) return GRO_FLUSH_FIRST;
    const g = this.buffer;
    copy_bytes(g, this.length, b, tcp + TCP_HEADER_LEN, payload);
    this.length += payload;
    this.next_seq = (this.next_seq + payload) | 0;
    this.frames++;
    g[TCP + 13] |= flags & TCP_PSH;
    g[TCP + 14] = b[tcp + 14]; // the latest window
    g[TCP + 15] = b[tcp + 15];
    return GRO_HELD;
  }

  /** The held segment is going to the stack: write its total length in and hold nothing any more. Returns its length. */
  finish(): number {
    const total = this.length - IP;
    this.buffer[IP + 2] = total >>> 8;
    this.buffer[IP + 3] = total;
    this.frames = 0;
    return this.length;
  }

  private hold(
    b: Uint8Array,
    o: number,
    ip_total: number,
    src: number,
    dst: number,
    ports: number,
    seq: number,
    ack: number,
    payload: number,
  ): void {
    if (this.buffer.length === 0) this.buffer = new Uint8Array(IP + MAX_IP_TOTAL);
    copy_bytes(this.buffer, 0, b, o, IP + ip_total);
    this.length = IP + ip_total;
    this.frames = 1;
    this.src = src;
    this.dst = dst;
    this.ports = ports;
    this.ack = ack;
    this.next_seq = (seq + payload) | 0;
  }
}
