// Boots images/napkin.elf in QEMU (qemu-system-i386, software emulation) with
// its serial console on a pipe: the same image, on a machine with a BIOS,
// MMIO virtio BARs and QEMU's own NIC models. QEMU's user-mode network
// (slirp, restricted: nothing leaves the process) plays the router 10.0.2.2.
import { ChildProcess, spawn } from "child_process";
import { Machine } from "./machine";
import { DEFAULT_IMAGE } from "./vm";

export type QemuNic = "ne2k_pci" | "virtio-net-pci";

export interface QemuOptions {
  image?: string;
  nic: QemuNic;
  mem_mib?: number;
  cmdline?: string;
}

export class QemuVm extends Machine {
  private readonly child: ChildProcess;

  constructor(options: QemuOptions) {
    super();
    const nic = options.nic === "virtio-net-pci" ? "virtio-net-pci,disable-legacy=on" : options.nic;
    this.child = spawn(
      "qemu-system-i386",
      [
        "-kernel",
        options.image ?? DEFAULT_IMAGE,
        "-append",
        options.cmdline ?? "",
        "-m",
        String(options.mem_mib ?? 128),
        "-display",
        "none",
        "-monitor",
        "none",
        "-serial",
        "stdio",
        "-no-reboot",
        "-device",
        `${nic},netdev=n0`,
        "-netdev",
        "user,id=n0,restrict=on",
        // The exit port napkin's poweroff writes, as on v86.
        "-device",
        "isa-debug-exit,iobase=0xf4,iosize=0x04",
      ],
      { stdio: ["pipe", "pipe", "inherit"] },
    );
    this.child.stdout!.on("data", (chunk: Buffer) => {
      for (const byte of chunk) this.serial_byte(byte);
    });
    this.child.on("exit", (code) => {
      // isa-debug-exit turns the byte written into (byte << 1) | 1.
      this.ended({ code: code === null ? null : code >> 1 });
    });
  }

  serial_send(data: string | Uint8Array): void {
    this.child.stdin!.write(typeof data === "string" ? Buffer.from(data, "latin1") : data);
  }

  async stop(): Promise<void> {
    if (!this.exited) this.child.kill();
  }
}
