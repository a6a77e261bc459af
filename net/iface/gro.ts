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
import { copy_bytes, NO_BYTES } from "../wire/bytes";
import { ETHERNET_HEADER_LEN } from "../wire/ethernet";
import { IPV4_HEADER_LEN } from "../wire/ipv4";
import { PLAIN_TCP_MIN_TOTAL, plain_tcp_ip_total } from "../wire/plain_tcp";
import { TCP_ACK, TCP_HEADER_LEN, TCP_PSH } from "../wire/tcp";
import { NO_WORDS, W_ACK, W_DST, W_OFFSET_FLAGS, W_PORTS, W_SRC, W_WINDOW, WordView, wire16 } from "../wire/words";

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

// The headers are compared two bytes at a time (see wire/words.ts); the two
// numbers GRO computes with (the length, the sequence number) it reads byte
// by byte.
/** A TCP header without options, flags ACK; PSH may be set too. */
const PLAIN_ACK = wire16(TCP_HEADER_LEN << 2, TCP_ACK);
const PSH_BIT = wire16(0, TCP_PSH);

/** One interface's GRO: at most one segment held, from the frames of the poll in progress. */
export class Gro {
  /** Frames merged into the held segment; 0 when none is held. */
  frames = 0;
  /**
   * The held segment as one Ethernet frame; made at the first hold, NO_BYTES
   * before it (compared by identity: a typed array's length is a getter call
   * in QuickJS).
   */
  buffer = NO_BYTES;
  /** Its length in bytes (headers included). */
  length = 0;
  // The held segment's addresses, ports and acknowledgment number, each
  // pair of words as one number (for comparison only), and the sequence
  // number the next frame must have.
  private src = 0;
  private dst = 0;
  private ports = 0;
  private ack = 0;
  private next_seq = 0;
  private readonly view = new WordView();
  private held_words = NO_WORDS;

  /**
   * Offer a received frame: GRO_HELD if it joined (or started) the held
   * segment, GRO_FLUSH_FIRST if the held segment must go to the stack before
   * this frame can start a new one, GRO_NORMAL if the frame is not for GRO.
   * The caller has seen that the frame is addressed to the interface's MAC;
   * `verify` says whether checksums must be checked (the device did not).
   */
  receive(b: Uint8Array, o: number, length: number, verify: boolean): number {
    if (length < PAYLOAD || (o & 1) !== 0) return GRO_NORMAL;
    const view = this.view;
    if (b !== view.bytes && !view.point(b)) return GRO_NORMAL;
    const words = view.words;
    const w = o >>> 1;
    // Data and an ACK, nothing else (where TCP's flags would be: a SYN or a
    // flood of them, most often the frames this turns away, go first).
    const offset_flags = words[w + W_OFFSET_FLAGS];
    if ((offset_flags & ~PSH_BIT) !== PLAIN_ACK) return GRO_NORMAL; // no TCP options either
    // Some payload, and no larger than half the most an IPv4 packet can hold
    // (a 64 KiB MTU's segments): one that large could never be merged with
    // another, and holding it would only copy it.
    const ip_total = plain_tcp_ip_total(b, words, o, length, PLAIN_TCP_MIN_TOTAL + 1, MAX_IP_TOTAL >> 1, verify);
    if (ip_total < 0) return GRO_NORMAL;
    const src = words[w + W_SRC] | (words[w + W_SRC + 1] << 16);
    const dst = words[w + W_DST] | (words[w + W_DST + 1] << 16);
    const ports = words[w + W_PORTS] | (words[w + W_PORTS + 1] << 16);
    const ack = words[w + W_ACK] | (words[w + W_ACK + 1] << 16);
    const seq = (b[o + TCP + 4] << 24) | (b[o + TCP + 5] << 16) | (b[o + TCP + 6] << 8) | b[o + TCP + 7];
    const payload = ip_total - IPV4_HEADER_LEN - TCP_HEADER_LEN;
    if (this.frames === 0) {
      this.hold(b, o, ip_total, src, dst, ports, seq, ack, payload);
      return GRO_HELD;
    }
    const continues = src === this.src && dst === this.dst && ports === this.ports && ack === this.ack && seq === this.next_seq;
    if (!continues || this.length - IP + payload > MAX_IP_TOTAL) return GRO_FLUSH_FIRST;
    copy_bytes(this.buffer, this.length, b, o + PAYLOAD, payload);
    this.length += payload;
    this.next_seq = (this.next_seq + payload) | 0;
    this.frames++;
    const held = this.held_words;
    held[W_OFFSET_FLAGS] |= offset_flags & PSH_BIT;
    held[W_WINDOW] = words[w + W_WINDOW]; // the latest window
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
    if (this.buffer === NO_BYTES) {
      this.buffer = new Uint8Array(IP + MAX_IP_TOTAL + 1); // an even size, for its 16-bit view
      this.held_words = new Uint16Array(this.buffer.buffer);
    }
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
