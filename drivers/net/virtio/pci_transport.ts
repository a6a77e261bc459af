// Virtio over PCI, the modern (1.0) interface (§4.1). The device describes
// its register blocks with vendor-specific PCI capabilities (§4.1.4), each
// saying "structure of type T lives in BAR b at offset o, length l". This
// file finds them, wraps each in a RegisterRegion, and offers the common
// configuration (§4.1.4.3), the notifications (§4.1.4.4), the ISR status
// (§4.1.4.5) and the device-specific configuration (§4.1.4.6).
import { PciDevice } from "../../pci/device";
import { PCI_CAP_ID_VENDOR } from "../../pci/capability";
import { config_read32, config_read8 } from "../../pci/config";
import { Features, VIRTIO_CONFIG_S_FAILED } from "./virtio_config";
import { MmioRegion, PortRegion, RegisterRegion } from "./regs";

// cfg_type of struct virtio_pci_cap (§4.1.4)
export const VIRTIO_PCI_CAP_COMMON_CFG = 1;
export const VIRTIO_PCI_CAP_NOTIFY_CFG = 2;
export const VIRTIO_PCI_CAP_ISR_CFG = 3;
export const VIRTIO_PCI_CAP_DEVICE_CFG = 4;
// 5, VIRTIO_PCI_CAP_PCI_CFG, is a window onto the others through config
// space, for when BARs cannot be reached; napkin always reaches them.

// struct virtio_pci_cap: offsets from the capability's start
const CAP_LEN = 2;
const CAP_CFG_TYPE = 3;
const CAP_BAR = 4;
const CAP_OFFSET = 8;
const CAP_LENGTH = 12;
const VIRTIO_PCI_CAP_SIZE = 16;
// struct virtio_pci_notify_cap adds one field (§4.1.4.4)
const CAP_NOTIFY_OFF_MULTIPLIER = 16;
const VIRTIO_PCI_NOTIFY_CAP_SIZE = 20;

// struct virtio_pci_common_cfg (§4.1.4.3)
const COMMON_DFSELECT = 0x00; // device_feature_select
const COMMON_DF = 0x04; // device_feature
const COMMON_GFSELECT = 0x08; // driver_feature_select
const COMMON_GF = 0x0c; // driver_feature
const COMMON_NUMQ = 0x12; // num_queues
const COMMON_STATUS = 0x14; // device_status
const COMMON_CFGGENERATION = 0x15; // config_generation
const COMMON_Q_SELECT = 0x16;
const COMMON_Q_SIZE = 0x18;
const COMMON_Q_ENABLE = 0x1c;
const COMMON_Q_NOFF = 0x1e; // queue_notify_off
const COMMON_Q_DESCLO = 0x20;
const COMMON_Q_DESCHI = 0x24;
const COMMON_Q_AVAILLO = 0x28; // queue_driver
const COMMON_Q_AVAILHI = 0x2c;
const COMMON_Q_USEDLO = 0x30; // queue_device
const COMMON_Q_USEDHI = 0x34;
const COMMON_CFG_SIZE = 0x38;

// ISR status bits (§4.1.4.5)
export const VIRTIO_PCI_ISR_QUEUE = 0x1;
export const VIRTIO_PCI_ISR_CONFIG = 0x2;

/** A probe step that cannot go on; the message says why, for the log. */
export class VirtioProbeError extends Error {}

/** Where a virtqueue lives in DMA memory, as the device must be told. */
export interface VirtqueueAddresses {
  readonly size: number;
  readonly desc_phys: number;
  readonly avail_phys: number;
  readonly used_phys: number;
}

/** Reads one struct virtio_pci_cap and maps its region, or null if it is unusable. */
function map_capability(pci: PciDevice, cap: number, min_length: number): RegisterRegion | null {
  const bar_index = config_read8(pci, cap + CAP_BAR);
  const offset = config_read32(pci, cap + CAP_OFFSET);
  const length = config_read32(pci, cap + CAP_LENGTH);
  // BAR values 6..255 are reserved and must be ignored (§4.1.4).
  const bar = pci.bars.find((b) => b.index === bar_index);
  if (!bar || length < min_length || offset + length > bar.size) return null;
  return bar.kind === "io" ? new PortRegion(bar.base + offset, length) : new MmioRegion(bar.base + offset, length);
}

export class VirtioPciTransport {
  /** Byte offset of each queue's notification address in the notify region. */
  private readonly notify_offsets: number[] = [];

  private constructor(
    private readonly common: RegisterRegion,
    private readonly notify: RegisterRegion,
    private readonly notify_off_multiplier: number,
    private readonly isr: RegisterRegion,
    readonly device: RegisterRegion | null,
  ) {}

  /** Find the capabilities of a modern virtio PCI function; throws VirtioProbeError if one is missing. */
  static open(pci: PciDevice): VirtioPciTransport {
    let common: RegisterRegion | null = null;
    let notify: RegisterRegion | null = null;
    let multiplier = 0;
    let isr: RegisterRegion | null = null;
    let device: RegisterRegion | null = null;
    // The first usable instance of each type wins (§4.1.4); unknown types are skipped.
    for (const { id, offset: cap } of pci.capabilities) {
      if (id !== PCI_CAP_ID_VENDOR || config_read8(pci, cap + CAP_LEN) < VIRTIO_PCI_CAP_SIZE) continue;
      switch (config_read8(pci, cap + CAP_CFG_TYPE)) {
        case VIRTIO_PCI_CAP_COMMON_CFG:
          common = common || map_capability(pci, cap, COMMON_CFG_SIZE);
          break;
        case VIRTIO_PCI_CAP_NOTIFY_CFG:
          if (notify || config_read8(pci, cap + CAP_LEN) < VIRTIO_PCI_NOTIFY_CAP_SIZE) break;
          notify = map_capability(pci, cap, 2);
          multiplier = config_read32(pci, cap + CAP_NOTIFY_OFF_MULTIPLIER);
          break;
        case VIRTIO_PCI_CAP_ISR_CFG:
          isr = isr || map_capability(pci, cap, 1);
          break;
        case VIRTIO_PCI_CAP_DEVICE_CFG:
          device = device || map_capability(pci, cap, 1);
          break;
      }
    }
    if (!common) throw new VirtioProbeError("no usable common configuration capability (not a modern virtio device?)");
    if (!notify) throw new VirtioProbeError("no usable notification capability");
    if (!isr) throw new VirtioProbeError("no usable ISR status capability");
    return new VirtioPciTransport(common, notify, multiplier, isr, device);
  }

  /** Which kinds of space the regions sit in: "io", "mmio" or both, for the log. */
  describe(): string {
    const regions = [this.common, this.notify, this.isr, this.device];
    const io = regions.some((r) => r instanceof PortRegion);
    const mmio = regions.some((r) => r instanceof MmioRegion);
    return io && mmio ? "io+mmio" : io ? "io" : "mmio";
  }

  // --- device status (§2.1, §3.1.1) -----------------------------------------

  status(): number {
    return this.common.read8(COMMON_STATUS);
  }

  add_status(bits: number): void {
    this.common.write8(COMMON_STATUS, this.status() | bits);
  }

  /** Writing 0 resets the device; it is done when the status reads back 0 (§4.1.4.3.2). */
  reset(): void {
    this.common.write8(COMMON_STATUS, 0);
    for (let spins = 0; spins < 100000; spins++) if (this.status() === 0) return;
    throw new VirtioProbeError("device did not come out of reset");
  }

  /** Give up on the device: reset it (it forgets every queue address) and say so. */
  fail(): void {
    this.common.write8(COMMON_STATUS, 0);
    this.add_status(VIRTIO_CONFIG_S_FAILED);
  }

  // --- features (§2.2) -------------------------------------------------------

  device_features(): Features {
    this.common.write32(COMMON_DFSELECT, 0);
    const lo = this.common.read32(COMMON_DF);
    this.common.write32(COMMON_DFSELECT, 1);
    return new Features(lo, this.common.read32(COMMON_DF));
  }

  set_driver_features(features: Features): void {
    for (let select = 0; select < 2; select++) {
      this.common.write32(COMMON_GFSELECT, select);
      this.common.write32(COMMON_GF, features.word(select));
    }
  }

  // --- virtqueues (§4.1.5.1.3) -------------------------------------------------

  num_queues(): number {
    return this.common.read16(COMMON_NUMQ);
  }

  /** The largest size the device allows for queue `index`; 0 = no such queue. */
  queue_max_size(index: number): number {
    this.common.write16(COMMON_Q_SELECT, index);
    return this.common.read16(COMMON_Q_SIZE);
  }

  /** Tell the device the queue's size and addresses, then enable it. */
  setup_queue(index: number, vq: VirtqueueAddresses): void {
    const c = this.common;
    c.write16(COMMON_Q_SELECT, index);
    c.write16(COMMON_Q_SIZE, vq.size);
    // 64-bit fields as two 32-bit halves (§4.1.3.1); napkin's memory is below 4 GiB.
    c.write32(COMMON_Q_DESCLO, vq.desc_phys);
    c.write32(COMMON_Q_DESCHI, 0);
    c.write32(COMMON_Q_AVAILLO, vq.avail_phys);
    c.write32(COMMON_Q_AVAILHI, 0);
    c.write32(COMMON_Q_USEDLO, vq.used_phys);
    c.write32(COMMON_Q_USEDHI, 0);
    // The notification address: cap.offset + queue_notify_off * notify_off_multiplier (§4.1.4.4).
    const at = c.read16(COMMON_Q_NOFF) * this.notify_off_multiplier;
    if (at + 2 > this.notify.length) {
      throw new VirtioProbeError(`queue ${index}: notify offset ${at} outside the notification region`);
    }
    this.notify_offsets[index] = at;
    c.write16(COMMON_Q_ENABLE, 1);
  }

  /** "Buffers are available in queue `index`" (§4.1.5.2): write its index to its address. */
  notify_queue(index: number): void {
    this.notify.write16(this.notify_offsets[index], index);
  }

  // --- interrupts and device configuration -----------------------------------

  /** Reading the ISR status acknowledges the interrupt (§4.1.4.5). */
  isr_status(): number {
    return this.isr.read8(0);
  }

  /** Changes whenever the device configuration does (§2.4.1): read it before and after. */
  config_generation(): number {
    return this.common.read8(COMMON_CFGGENERATION);
  }
}
