// napkin's machine in v86 inside the page: the one tools/vm.ts builds under
// Node, with the image and the wasm fetched from the page's server.
import { V86 } from "v86";

/** One end of v86's message bus (see v86's src/bus.js). */
export interface V86Bus {
  send(event: string, data?: unknown): void;
  register(event: string, fn: (data: any) => void, self: unknown): void;
}

export interface PageVm {
  emulator: any;
  /** The adapter's end: hears what devices send (serial0-output-byte, net0-send), talks to devices. */
  bus: V86Bus;
  /** The devices' end: hears what adapters send (serial0-input, net0-receive). */
  device_bus: V86Bus;
}

/** The guest writes its exit code here; v86's own handler would throw. */
const EXIT_PORT = 0xf4;

/** Builds the machine, stopped: the caller attaches what it listens with, then calls emulator.run(). */
export async function create_napkin_vm(cmdline: string, on_exit: (code: number) => void): Promise<PageVm> {
  const response = await fetch("napkin.elf");
  if (!response.ok) throw new Error(`napkin.elf: HTTP ${response.status}`);
  const image = await response.arrayBuffer();
  const emulator = new V86({
    wasm_path: "v86.wasm",
    memory_size: 128 * 1024 * 1024,
    multiboot: { buffer: image },
    cmdline,
    autostart: false,
    disable_keyboard: true,
    disable_mouse: true,
    disable_speaker: true,
    // No relay: the page itself is the other end of the wire (hostnet).
    net_device: { type: "ne2k" },
  } as any);
  await new Promise<void>((resolve) => emulator.add_listener("emulator-loaded", () => resolve()));
  const vm: PageVm = { emulator, bus: (emulator as any).bus, device_bus: (emulator as any).emulator_bus };
  vm.emulator.v86.cpu.io.register_write(EXIT_PORT, {}, (code: number) => {
    emulator.stop();
    on_exit(code);
  });
  return vm;
}
