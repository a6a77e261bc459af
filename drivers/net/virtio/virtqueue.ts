// A split virtqueue (§2.6): three areas of DMA memory shared with the device.
//
//   descriptor table  struct virtq_desc[size]: addr (le64), len (le32), flags, next (le16)
//   available ring    struct virtq_avail: flags, idx, ring[size], used_event   (driver -> device)
//   used ring         struct virtq_used:  flags, idx, ring[size] of {id, len}  (device -> driver)
//
// napkin binds each descriptor to one buffer for good (descriptor i is
// buffer i), so a buffer is offered by putting its index in the available
// ring and comes back with the length the device used. idx fields run free
// and wrap at 2^16; the ring slot is idx mod size.
//
// Every view is made once here: nothing is allocated per buffer. Typed
// arrays use the CPU's byte order, and x86 is little-endian like virtio 1.0.
import { hal } from "../../../kernel/hal/current";
import type { DmaBuffer } from "../../../kernel/hal/hal";
import type { VirtqueueAddresses } from "./pci_transport";

/** In virtq_desc.flags: the device writes this buffer (receive); otherwise it only reads it. */
export const VIRTQ_DESC_F_WRITE = 2;
/** In avail.flags: the driver asks not to be interrupted for this queue (§2.6.7). */
export const VIRTQ_AVAIL_F_NO_INTERRUPT = 1;
/** In used.flags: the device asks not to be notified of new buffers (§2.6.7). */
export const VIRTQ_USED_F_NO_NOTIFY = 1;

const DESC_SIZE = 16;

function align(value: number, to: number): number {
  return Math.ceil(value / to) * to;
}

export class Virtqueue implements VirtqueueAddresses {
  readonly memory: DmaBuffer;
  readonly desc_phys: number;
  readonly avail_phys: number;
  readonly used_phys: number;
  /** virtq_desc as 32-bit words: [4i] addr low, [4i+1] addr high, [4i+2] len. */
  private readonly desc32: Uint32Array;
  /** virtq_desc as 16-bit words: [8i+6] flags, [8i+7] next. */
  private readonly desc16: Uint16Array;
  /** virtq_avail: [0] flags, [1] idx, [2 + slot] ring. */
  private readonly avail: Uint16Array;
  /** virtq_used header: [0] flags, [1] idx. */
  private readonly used16: Uint16Array;
  /** virtq_used elements: [1 + 2 * slot] id, [2 + 2 * slot] len. */
  private readonly used32: Uint32Array;
  private avail_idx = 0;
  private last_used_idx = 0;

  /** `size` must be a power of two (§2.6). */
  constructor(
    readonly index: number,
    readonly size: number,
  ) {
    // Alignments of §2.6: descriptors 16, available ring 2, used ring 4.
    const avail_offset = size * DESC_SIZE;
    const used_offset = align(avail_offset + 6 + 2 * size, 4);
    this.memory = hal.dma_alloc(used_offset + 6 + 8 * size);
    const { buffer, byteOffset } = this.memory.bytes;
    this.desc_phys = this.memory.phys;
    this.avail_phys = this.memory.phys + avail_offset;
    this.used_phys = this.memory.phys + used_offset;
    this.desc32 = new Uint32Array(buffer, byteOffset, size * 4);
    this.desc16 = new Uint16Array(buffer, byteOffset, size * 8);
    this.avail = new Uint16Array(buffer, byteOffset + avail_offset, 3 + size);
    this.used16 = new Uint16Array(buffer, byteOffset + used_offset, 2);
    this.used32 = new Uint32Array(buffer, byteOffset + used_offset, 1 + 2 * size);
  }

  /**
   * Bind every descriptor of a new queue to its buffer for good: descriptor
   * `id` to the one at `first_phys + id * stride`, each one descriptor,
   * never a chain (no VIRTQ_DESC_F_NEXT). The fields left are zero from
   * dma_alloc. One loop here, not a call per descriptor: at boot that was a
   * third of a million guest instructions.
   */
  set_buffers(first_phys: number, stride: number, flags: number): void {
    const desc32 = this.desc32,
      desc16 = this.desc16,
      size = this.size;
    for (let id = 0; id < size; id++) {
      desc32[id * 4] = first_phys + id * stride;
      desc16[id * 8 + 6] = flags;
    }
  }

  /** Offer every buffer to the device, `len` bytes each, in order (a receive ring's first fill). */
  add_all(len: number): void {
    const desc32 = this.desc32,
      avail = this.avail,
      mask = this.size - 1,
      start = this.avail_idx;
    for (let id = 0; id <= mask; id++) {
      desc32[id * 4 + 2] = len;
      avail[2 + ((start + id) & mask)] = id;
    }
    this.avail_idx = (start + this.size) & 0xffff;
    avail[1] = this.avail_idx;
  }

  /** Offer buffer `id`, `len` bytes long, to the device (§2.6.13). */
  add(id: number, len: number): void {
    this.desc32[id * 4 + 2] = len;
    this.avail[2 + (this.avail_idx & (this.size - 1))] = id;
    // The ring entry is written before idx publishes it: program order is
    // enough on one CPU with the device emulated on it.
    this.avail_idx = (this.avail_idx + 1) & 0xffff;
    this.avail[1] = this.avail_idx;
  }

  /** Offer buffers ids[0, count) to the device, `len` bytes each: a receive ring's refill, in one call. */
  add_many(ids: Uint16Array, count: number, len: number): void {
    const desc32 = this.desc32,
      avail = this.avail,
      mask = this.size - 1;
    let idx = this.avail_idx;
    for (let i = 0; i < count; i++) {
      const id = ids[i];
      desc32[id * 4 + 2] = len;
      avail[2 + (idx & mask)] = id;
      idx = (idx + 1) & 0xffff;
    }
    this.avail_idx = idx;
    avail[1] = idx; // the entries are written before idx publishes them
  }

  /** Whether the device has returned buffers not yet taken with take_used(). */
  has_used(): boolean {
    return this.used16[1] !== this.last_used_idx;
  }

  /**
   * Take every buffer the device is done with: their ids and used lengths
   * into `ids` and `lens` (each of the queue's size: the device cannot have
   * used more), in order. Returns how many: a whole burst for one call.
   */
  take_used(ids: Uint32Array, lens: Uint32Array): number {
    if (this.used16[1] === this.last_used_idx) return 0; // nothing new: the poll's last look, most often
    const used32 = this.used32,
      mask = this.size - 1,
      end = this.used16[1],
      max = this.size; // (not ids.length: a typed array's length is a getter call in QuickJS)
    let idx = this.last_used_idx,
      n = 0;
    while (idx !== end && n < max) {
      const slot = idx & mask;
      ids[n] = used32[1 + 2 * slot];
      lens[n++] = used32[2 + 2 * slot];
      idx = (idx + 1) & 0xffff;
    }
    this.last_used_idx = idx;
    return n;
  }

  /** Ask the device not to interrupt when it uses buffers (a hint, §2.6.7.1). */
  disable_interrupts(): void {
    this.avail[0] = VIRTQ_AVAIL_F_NO_INTERRUPT;
  }

  enable_interrupts(): void {
    this.avail[0] = 0;
  }

  /** Whether the device wants a notification for buffers just added. */
  needs_notify(): boolean {
    return (this.used16[0] & VIRTQ_USED_F_NO_NOTIFY) === 0;
  }
}
