// Header fields two bytes at a time. In the guest's interpreter a load or a
// store costs the same whatever its width, so code on the per-packet path
// that only compares or copies fields goes through a Uint16Array over the
// frame's memory: half the loads. Every Ethernet, IPv4 (without options) and
// TCP field such code touches starts at an even offset of the frame, and
// drivers place frames at even addresses. A load sees the wire's two bytes
// in the CPU's byte order: wire16() gives a constant in that order, to
// compare with; a number to compute with is still read byte by byte.
import { NO_BYTES } from "./bytes";
import { IP_PROTOCOL_TCP } from "./ipv4";

const LITTLE_ENDIAN = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

/** The 16-bit load of the wire bytes `first`, `second`, in this CPU's byte order. */
export function wire16(first: number, second: number): number {
  return LITTLE_ENDIAN ? first | (second << 8) : (first << 8) | second;
}

// Where the fields are in an Ethernet frame carrying IPv4 without options
// and TCP, as indices of 16-bit words from the frame's start.
/** The destination MAC: three words. */
export const W_DST_MAC = 0;
/** The source MAC: three words. */
export const W_SRC_MAC = 3;
/** The ethertype. */
export const W_ETHERTYPE = 6;
/** IPv4's version and header length, then its TOS. */
export const W_VERSION = 7;
/** IPv4's flags and fragment offset. */
export const W_FRAGMENT = 10;
/** IPv4's TTL, then its protocol. */
export const W_PROTOCOL = 11;
/** The source address: two words. */
export const W_SRC = 13;
/** The destination address: two words. */
export const W_DST = 15;
/** TCP's source port (the first of the two ports, W_PORTS). */
export const W_SRC_PORT = 17;
/** Both ports: two words. */
export const W_PORTS = W_SRC_PORT;
/** TCP's destination port. */
export const W_DST_PORT = 18;
/** The acknowledgment number: two words. */
export const W_ACK = 21;
/** TCP's data offset, then its flags. */
export const W_OFFSET_FLAGS = 23;
/** TCP's window. */
export const W_WINDOW = 24;

// What those words hold in the frames the fast paths take, as loaded.
/** W_ETHERTYPE of an IPv4 packet. */
export const IPV4 = wire16(0x08, 0x00);
/** W_VERSION, masked with this, is VERSION_4_NO_OPTIONS for IPv4 without options. */
export const VERSION_MASK = wire16(0xff, 0);
/** See VERSION_MASK. */
export const VERSION_4_NO_OPTIONS = wire16(0x45, 0);
/** W_PROTOCOL, masked with this, is PROTOCOL_TCP for TCP. */
export const PROTOCOL_MASK = wire16(0, 0xff);
/** See PROTOCOL_MASK. */
export const PROTOCOL_TCP = wire16(0, IP_PROTOCOL_TCP);
/** W_FRAGMENT, masked with this, is 0 for a whole packet: "more fragments" clear, offset 0 ("don't fragment" may be set). */
export const FRAGMENT_MASK = wire16(0x3f, 0xff);

/** A byte buffer that has been viewed as words: the view is kept with it, made once. */
interface WithWords extends Uint8Array {
  words16?: Uint16Array;
}

/** The 16-bit view before there is a buffer to view: one shared, as NO_BYTES is. */
export const NO_WORDS = new Uint16Array(0);

/**
 * The 16-bit view of the byte buffer seen last. A NIC receives into one
 * buffer (a DMA ring), so the view changes rarely; where buffers come from a
 * pool, each keeps its own view, so a packet allocates nothing either way.
 */
export class WordView {
  bytes: Uint8Array = NO_BYTES;
  words: Uint16Array = NO_WORDS;

  /** View b's memory from now on: false if it cannot be, b starting at an odd address. */
  point(b: Uint8Array): boolean {
    if ((b.byteOffset & 1) !== 0) return false;
    const buffer = b as WithWords;
    this.bytes = b;
    this.words = buffer.words16 ??= new Uint16Array(b.buffer, b.byteOffset, b.length >>> 1);
    return true;
  }
}
