// Base address registers: where a device's registers appear, in I/O port
// space or in memory. The size is found the classic way: write all ones,
// read back which address bits stuck, restore.
import { PciAddress, PCI_BAR0, config_read32, config_write32 } from "./config";

export interface PciBar {
  index: number;
  kind: "io" | "mem";
  base: number;
  size: number;
  prefetchable: boolean;
  is64: boolean;
}

function probe_size(at: PciAddress, offset: number, original: number, mask: number): number {
  config_write32(at, offset, 0xffffffff);
  const readback = config_read32(at, offset);
  config_write32(at, offset, original);
  const bits = (readback & mask) >>> 0;
  return bits === 0 ? 0 : ((~bits + 1) & mask) >>> 0;
}

/** Decodes the six BARs of a type 0 function; empty and unplaced BARs are left out. */
export function read_bars(at: PciAddress, count = 6): PciBar[] {
  const bars: PciBar[] = [];
  for (let index = 0; index < count; index++) {
    const offset = PCI_BAR0 + index * 4;
    const raw = config_read32(at, offset);
    // All zeros: a memory BAR the device does not implement, or one no
    // firmware placed. napkin places none, so it has no use for its size and
    // saves the three accesses that would find it.
    if (raw === 0) continue;
    if (raw & 1) {
      const size = probe_size(at, offset, raw, 0xfffc) & 0xffff;
      if (size) bars.push({ index, kind: "io", base: raw & 0xfffc, size, prefetchable: false, is64: false });
      continue;
    }
    const is64 = ((raw >>> 1) & 3) === 2;
    const size = probe_size(at, offset, raw, 0xfffffff0);
    if (is64) {
      // napkin runs with paging off in 32-bit space: a BAR placed above
      // 4 GiB cannot be reached, so only its low half is kept.
      index++;
    }
    if (size)
      bars.push({
        index: is64 ? index - 1 : index,
        kind: "mem",
        base: (raw & 0xfffffff0) >>> 0,
        size,
        prefetchable: (raw & 8) !== 0,
        is64,
      });
  }
  return bars;
}
