// Boots images/napkin.elf in v86 under Node (or any JS host with v86) and
// gives the caller the serial line and the exit code. Shared by `make run`,
// the boot tests and the benchmarks, which also boot a Linux bzImage here
// (through a BIOS, as v86 requires for one) to compare against.
import fs from "fs";
import path from "path";
import { Machine, MachineExit } from "./machine";

export type NicModel = "ne2k" | "virtio" | "none";

export interface VmOptions {
  image?: string;
  /** Guest RAM in MiB. */
  mem_mib?: number;
  nic?: NicModel;
  cmdline?: string;
  /**
   * Plug the NIC into v86's own fake network (a router at 192.168.86.1 that
   * answers ARP, ping and DHCP) instead of leaving the wire to the caller.
   */
  v86_fake_network?: boolean;
  /** The NIC's MTU (virtio honours it; v86's `mtu` option). */
  mtu?: number;
  /** Boot a Linux kernel instead of the multiboot image (`image` is then unused). */
  linux?: LinuxBoot;
  /** Called with the v86 instance once it has loaded, before the guest runs its first instruction. */
  on_loaded?: (emulator: any) => void;
}

/** Files for v86 to boot Linux from; the command line is VmOptions.cmdline. */
export interface LinuxBoot {
  bios: string;
  bzimage: string;
  initrd: string;
}

function array_buffer(file: string): ArrayBuffer {
  const bytes = fs.readFileSync(file);
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

export type VmExit = MachineExit;

export const DEFAULT_IMAGE = path.join(__dirname, "..", "images", "napkin.elf");
const EXIT_PORT = 0xf4;

export class Vm extends Machine {
  /** The v86 instance, for tools that need more than the serial line. */
  emulator: any;
  /**
   * performance.now() when the guest's CPU was started (power-on), after
   * v86 had set itself up (compiled its wasm, allocated the RAM, loaded the
   * images): a guest's boot time counts from here.
   */
  powered_on_at = 0;

  private constructor() {
    super();
  }

  static async boot(options: VmOptions = {}): Promise<Vm> {
    quiet_v86_drop_messages();
    const { V86 } = await import("v86");
    const vm = new Vm();
    const nic = options.nic ?? "ne2k";
    // No VGA BIOS: both guests use the serial line, and SeaBIOS boots without one.
    const boot = options.linux
      ? {
          bios: { buffer: array_buffer(options.linux.bios) },
          bzimage: { buffer: array_buffer(options.linux.bzimage) },
          initrd: { buffer: array_buffer(options.linux.initrd) },
        }
      : { multiboot: { buffer: array_buffer(options.image ?? DEFAULT_IMAGE) } };
    const config: Record<string, unknown> = {
      wasm_path: require.resolve("v86/build/v86.wasm"),
      memory_size: (options.mem_mib ?? 128) * 1024 * 1024,
      ...boot,
      cmdline: options.cmdline ?? "",
      autostart: false,
      disable_keyboard: true,
      disable_mouse: true,
      disable_speaker: true,
    };
    if (nic !== "none") {
      const net_device: Record<string, unknown> = { type: nic };
      if (options.v86_fake_network) net_device.relay_url = "fetch";
      if (options.mtu) net_device.mtu = options.mtu;
      config.net_device = net_device;
    }
    vm.emulator = new V86(config);
    await new Promise<void>((resolve) => vm.emulator.add_listener("emulator-loaded", resolve));
    // v86's multiboot support ends the process on the exit port by throwing;
    // take the port over so the exit code reaches the caller instead.
    const io = vm.emulator.v86.cpu.io;
    io.register_write(EXIT_PORT, {}, (code: number) => vm.exit(code));
    // Without a BIOS a CPU reset leads nowhere: a reset (the 8042's, or
    // 0xCF9's) ends this machine, and whoever runs it boots a fresh one.
    vm.emulator.v86.cpu.reboot_internal = () => vm.exit(null, true);
    vm.emulator.add_listener("serial0-output-byte", (byte: number) => vm.serial_byte(byte));
    options.on_loaded?.(vm.emulator);
    vm.powered_on_at = performance.now();
    vm.emulator.run();
    return vm;
  }

  serial_send(data: string | Uint8Array): void {
    const bytes = typeof data === "string" ? Buffer.from(data, "latin1") : data;
    for (const byte of bytes) this.emulator.bus.send("serial0-input", byte);
  }

  /** Guest instructions executed so far. */
  instruction_count(): number {
    return this.emulator.get_instruction_counter();
  }

  async stop(): Promise<void> {
    if (!this.exited) this.exit(null);
  }

  private exit(code: number | null, reboot = false): void {
    if (this.exited) return;
    this.emulator.stop();
    this.emulator.destroy?.();
    this.ended(reboot ? { code, reboot } : { code });
  }
}

/**
 * v86's virtio-net prints "No buffer to write into!" for every frame it drops
 * because the guest posted no receive buffer. Under a flood that is thousands
 * of lines; count them instead (the guest's own counters tell the rest).
 */
export let v86_rx_no_buffer_drops = 0;
let quieted = false;

function quiet_v86_drop_messages(): void {
  if (quieted) return;
  quieted = true;
  const log = console.log;
  console.log = (...args: unknown[]) => {
    if (args.length === 1 && args[0] === "No buffer to write into!") v86_rx_no_buffer_drops++;
    else log(...args);
  };
}
