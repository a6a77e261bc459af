// IPv4 fragment reassembly (RFC 791 §3.2, RFC 815 hole tracking via Assembler).
// Memory is bounded by `slots` datagrams of at most `max_datagram` bytes each,
// each slot made the first time a datagram needs it (as Linux makes a
// fragment queue when a datagram's first fragment arrives: most interfaces
// never see one); a datagram not completed within REASSEMBLY_TIMEOUT_US is
// dropped.
// A fragment that overlaps one already taken, or reaches past the end the
// last fragment set, drops the whole datagram (RFC 5722's rule, as Linux
// applies it to IPv4 too): which copy of a byte wins is never a question.
import { Assembler } from "../storage/assembler";
import { copy_bytes, NO_BYTES } from "../wire/bytes";
import { Ipv4Packet } from "../wire/ipv4";

/** How long an incomplete fragmented datagram is kept: 10 s, in µs. */
export const REASSEMBLY_TIMEOUT_US = 10_000_000;

/** Outcome of FragmentReassembler.process(): fragment dropped, kept waiting for the rest, or datagram complete. */
export const enum Reassembly {
  Dropped,
  Pending,
  Complete,
}

/** One datagram being put back together. */
class ReassemblySlot {
  in_use = false;
  src_addr = 0;
  dst_addr = 0;
  ident = 0;
  protocol = 0;
  total_len = -1;
  expires_at = 0;
  readonly assembler = new Assembler(16);
  constructor(readonly buffer: Uint8Array) {}
}

/** Rebuilds fragmented IPv4 datagrams in slots, one per (src, dst, ident, protocol). */
export class FragmentReassembler {
  private readonly slots: ReassemblySlot[] = [];
  /** Some slot may be in use: expire() has something to look at (most of the time nothing is). */
  busy = false;
  /** After Reassembly.Complete: the whole datagram's payload is buffer[0, length). */
  buffer: Uint8Array = NO_BYTES;
  length = 0;
  /** Datagrams dropped because two of their fragments overlapped (Linux's ReasmOverlaps). */
  overlaps = 0;

  constructor(
    private readonly max_slots = 4,
    readonly max_datagram = 16 * 1024,
  ) {}

  process(now_us: number, packet: Ipv4Packet): Reassembly {
    const slot = this.find_slot(now_us, packet);
    if (slot === null) return Reassembly.Dropped;
    const offset = packet.frag_offset();
    const len = packet.payload_len();
    const more = packet.more_fragments();
    if (offset + len > this.max_datagram || (more && (len & 7) !== 0)) {
      slot.in_use = false;
      return Reassembly.Dropped;
    }
    if (slot.assembler.overlaps(offset, len)) {
      slot.in_use = false;
      this.overlaps++;
      return Reassembly.Dropped;
    }
    if (slot.total_len >= 0 && offset + len > slot.total_len) {
      slot.in_use = false;
      return Reassembly.Dropped;
    }
    if (!more) {
      if ((slot.total_len >= 0 && slot.total_len !== offset + len) || slot.assembler.overlaps(offset + len, this.max_datagram)) {
        slot.in_use = false; // a second, different end, or fragments already past this one
        return Reassembly.Dropped;
      }
      slot.total_len = offset + len;
    }
    copy_bytes(slot.buffer, offset, packet.buffer, packet.payload_offset(), len);
    if (!slot.assembler.add(offset, len)) {
      slot.in_use = false;
      return Reassembly.Dropped;
    }
    if (slot.total_len >= 0 && slot.assembler.front_len() >= slot.total_len) {
      slot.in_use = false;
      this.buffer = slot.buffer;
      this.length = slot.total_len;
      return Reassembly.Complete;
    }
    return Reassembly.Pending;
  }

  /** Forget datagrams that did not complete in time. */
  expire(now_us: number): void {
    if (!this.busy) return;
    let busy = false;
    for (let i = 0; i < this.slots.length; i++) {
      const slot = this.slots[i];
      if (slot.in_use && slot.expires_at <= now_us) slot.in_use = false;
      if (slot.in_use) busy = true;
    }
    this.busy = busy;
  }

  private find_slot(now_us: number, packet: Ipv4Packet): ReassemblySlot | null {
    const src = packet.src_addr(),
      dst = packet.dst_addr(),
      ident = packet.ident(),
      protocol = packet.protocol();
    let free: ReassemblySlot | null = null;
    for (let i = 0; i < this.slots.length; i++) {
      const slot = this.slots[i];
      if (slot.in_use && slot.expires_at <= now_us) slot.in_use = false;
      if (!slot.in_use) {
        if (free === null) free = slot;
      } else if (slot.src_addr === src && slot.dst_addr === dst && slot.ident === ident && slot.protocol === protocol) {
        return slot;
      }
    }
    if (free === null && this.slots.length < this.max_slots) {
      free = new ReassemblySlot(new Uint8Array(this.max_datagram));
      this.slots.push(free);
    }
    if (free !== null) {
      this.busy = true;
      free.in_use = true;
      free.src_addr = src;
      free.dst_addr = dst;
      free.ident = ident;
      free.protocol = protocol;
      free.total_len = -1;
      free.expires_at = now_us + REASSEMBLY_TIMEOUT_US;
      free.assembler.clear();
    }
    return free;
  }
}
