// npx tsx tools/linux/initramfs.ts: packs the Linux guest's initramfs from
// the unpacked Debian packages (build/linux/root), the two helper programs
// (build/linux/helpers) and tools/linux/init, and puts the kernel, the BIOS
// and a manifest of what went in next to it. Run by tools/linux/build.sh.
import { execFileSync } from "child_process";
import fs from "fs";
import path from "path";
import zlib from "zlib";
import { LINUX_ARTEFACTS, LINUX_BUILD_DIR, LinuxManifest } from "./artefacts";
import { CpioEntry, cpio_newc } from "./cpio";
import { module_image, resolve_modules } from "./modules";

/** The NICs v86 emulates: NE2000 (ne2k-pci) and virtio-net over virtio-pci. */
const NIC_MODULES = ["ne2k-pci", "virtio_pci", "virtio_net"];
const HELPERS = ["discard", "tcpsend"];

const root = path.join(LINUX_BUILD_DIR, "root");
const helpers = path.join(LINUX_BUILD_DIR, "helpers");
const debs = path.join(LINUX_BUILD_DIR, "debs");

function only(dir: string, pattern: RegExp): string {
  const found = fs.readdirSync(dir).filter((name) => pattern.test(name));
  if (found.length !== 1) throw new Error(`expected one ${pattern} in ${dir}, found ${found.length}`);
  return path.join(dir, found[0]);
}

function package_versions(): string[] {
  return fs
    .readdirSync(debs)
    .filter((name) => name.endsWith(".deb"))
    .sort()
    .map((name) =>
      execFileSync("dpkg-deb", ["-f", path.join(debs, name), "Package", "Version"], { encoding: "utf8" })
        .trim()
        .replace(/^Package: (.*)\nVersion: (.*)$/, "$1 $2"),
    );
}

function main(): void {
  const modules_dir = only(path.join(root, "lib", "modules"), /^\d/);
  const modules = resolve_modules(path.join(modules_dir, "kernel"), NIC_MODULES);
  const entries: CpioEntry[] = [
    ...["bin", "dev", "etc", "lib", "lib/modules", "proc", "root", "sys", "tmp"].map((p): CpioEntry => ({ kind: "dir", path: p })),
    // The kernel opens /dev/console for init before anything is mounted.
    { kind: "char", path: "dev/console", major: 5, minor: 1 },
    { kind: "file", path: "bin/busybox", data: fs.readFileSync(path.join(root, "bin", "busybox")), mode: 0o755 },
    { kind: "symlink", path: "bin/sh", target: "busybox" },
    ...HELPERS.map((name): CpioEntry => ({
      kind: "file",
      path: `bin/${name}`,
      data: fs.readFileSync(path.join(helpers, name)),
      mode: 0o755,
    })),
    ...modules.map((m, i): CpioEntry => ({
      kind: "file",
      path: `lib/modules/${String(i).padStart(2, "0")}-${m.name}.ko`,
      data: module_image(m.file),
    })),
    { kind: "file", path: "init", data: fs.readFileSync(path.join(__dirname, "init")), mode: 0o755 },
  ];
  fs.writeFileSync(LINUX_ARTEFACTS.initrd, zlib.gzipSync(cpio_newc(entries), { level: 9 }));
  fs.copyFileSync(only(path.join(root, "boot"), /^vmlinuz-/), LINUX_ARTEFACTS.bzimage);
  fs.copyFileSync(path.join(root, "usr", "share", "seabios", "bios.bin"), LINUX_ARTEFACTS.bios);
  const manifest: LinuxManifest = { packages: package_versions(), modules: modules.map((m) => m.name) };
  fs.writeFileSync(LINUX_ARTEFACTS.manifest, JSON.stringify(manifest, null, 2) + "\n");
  console.log(`linux: initramfs with busybox, ${HELPERS.join(", ")} and modules ${manifest.modules.join(", ")}`);
}

main();
