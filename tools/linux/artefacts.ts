// Where tools/linux/build.sh leaves the Linux guest, and what it is made of.
import fs from "fs";
import path from "path";

export const LINUX_BUILD_DIR = path.join(__dirname, "..", "..", "build", "linux");

export const LINUX_ARTEFACTS = {
  bzimage: path.join(LINUX_BUILD_DIR, "bzImage"),
  initrd: path.join(LINUX_BUILD_DIR, "initramfs.cpio.gz"),
  bios: path.join(LINUX_BUILD_DIR, "bios.bin"),
  manifest: path.join(LINUX_BUILD_DIR, "manifest.json"),
};

/** The Debian packages the guest was built from, as "name version". */
export interface LinuxManifest {
  packages: string[];
  modules: string[];
}

export function linux_built(): boolean {
  return Object.values(LINUX_ARTEFACTS).every((file) => fs.existsSync(file));
}

export function read_manifest(): LinuxManifest {
  return JSON.parse(fs.readFileSync(LINUX_ARTEFACTS.manifest, "utf8")) as LinuxManifest;
}
