// Figures the page reads from the emulator itself, without asking the guest:
//   - frames on the NIC's wire, counted on v86's bus (net0-send leaves the
//     guest's NIC, net0-receive enters it);
//   - interrupts, counted where the emulated devices (PIT, UART, NE2000 via
//     PCI) raise their line: cpu.device_raise_irq/device_lower_irq. The PIC
//     itself lives in v86's wasm, out of reach, so a rising edge of a line
//     stands for one interrupt request (a line raised again while still high
//     is the same request). A line that never falls, because the device
//     always has something unacknowledged, shows no new edges however many
//     interrupts the guest takes; the charts put the guest's own count
//     (/proc/interrupts) beside this one.
// Frames the caller wants left out (the panel's own Telnet session) are
// counted apart; the interrupts they cause cannot be told apart.
import type { PageVm } from "./boot_v86";
import type { Reading } from "./sampler";

export const PACKETS_TO_GUEST = "packets to guest";

/** The name of one line's rising edges among the totals. */
export function irq_line_name(line: number): string {
  return `IRQ ${line}`;
}

const IRQ_LINES = 16;

export class HostCounters {
  frames_from_guest = 0;
  frames_to_guest = 0;
  frames_ignored = 0;
  /** Rising edges per IRQ line since boot. */
  readonly irq_edges: number[] = new Array(IRQ_LINES).fill(0);

  constructor(vm: PageVm, ignore: (frame: Uint8Array) => boolean) {
    vm.bus.register("net0-send", (frame: Uint8Array) => (ignore(frame) ? this.frames_ignored++ : this.frames_from_guest++), this);
    vm.device_bus.register("net0-receive", (frame: Uint8Array) => (ignore(frame) ? this.frames_ignored++ : this.frames_to_guest++), this);

    const cpu = vm.emulator.v86.cpu;
    const raise: (line: number) => void = cpu.device_raise_irq;
    const lower: (line: number) => void = cpu.device_lower_irq;
    const high: boolean[] = new Array(IRQ_LINES).fill(false);
    cpu.device_raise_irq = (line: number) => {
      if (!high[line]) this.irq_edges[line]++;
      high[line] = true;
      raise(line);
    };
    cpu.device_lower_irq = (line: number) => {
      high[line] = false;
      lower(line);
    };
  }

  /** Running totals by name, taken now. */
  read(): Reading {
    const totals = new Map<string, number>();
    totals.set(
      "IRQs",
      this.irq_edges.reduce((sum, n) => sum + n, 0),
    );
    this.irq_edges.forEach((n, line) => {
      if (n > 0) totals.set(irq_line_name(line), n);
    });
    totals.set(PACKETS_TO_GUEST, this.frames_to_guest);
    totals.set("packets from guest", this.frames_from_guest);
    totals.set("panel's own packets", this.frames_ignored);
    return { at_ms: performance.now(), totals };
  }
}
