// Names shared by every virtio device (Linux's uapi/linux/virtio_config.h):
// the device status bits of §2.1 and the feature bits of §2.2 and §6.
//
// Section numbers in drivers/net/virtio are those of virtio 1.1, whose text
// for everything used here is the 1.0 text (1.0 numbers split virtqueues §2.4).

// device_status (§2.1)
export const VIRTIO_CONFIG_S_ACKNOWLEDGE = 1;
export const VIRTIO_CONFIG_S_DRIVER = 2;
export const VIRTIO_CONFIG_S_DRIVER_OK = 4;
export const VIRTIO_CONFIG_S_FEATURES_OK = 8;
export const VIRTIO_CONFIG_S_FAILED = 0x80;

// Device-independent feature bits (§6). This driver never accepts
// VIRTIO_RING_F_EVENT_IDX (29): it uses the flag form of notification suppression.
export const VIRTIO_F_VERSION_1 = 32;

/**
 * A 64-bit feature set as two 32-bit words, the way the common config
 * exposes them through a select register (a JS number has only 53 bits).
 */
export class Features {
  constructor(
    readonly lo = 0,
    readonly hi = 0,
  ) {}

  static of(bits: number[]): Features {
    let lo = 0;
    let hi = 0;
    for (const bit of bits) {
      if (bit < 32) lo |= 1 << bit;
      else hi |= 1 << (bit - 32);
    }
    return new Features(lo >>> 0, hi >>> 0);
  }

  has(bit: number): boolean {
    return bit < 32 ? (this.lo & (1 << bit)) !== 0 : (this.hi & (1 << (bit - 32))) !== 0;
  }

  and(other: Features): Features {
    return new Features((this.lo & other.lo) >>> 0, (this.hi & other.hi) >>> 0);
  }

  word(select: number): number {
    return select === 0 ? this.lo : select === 1 ? this.hi : 0;
  }

  toString(): string {
    return "0x" + this.hi.toString(16).padStart(8, "0") + this.lo.toString(16).padStart(8, "0");
  }
}
