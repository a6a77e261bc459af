#!/usr/bin/env bash
# Builds the Linux guest napkin is benchmarked against, from Debian bookworm's
# own packages, into build/linux/ (nothing is installed on the host):
#   linux-image-686 (resolved to the linux-image-6.1.0-*-686 it depends on),
#   busybox-static:i386 and seabios (bios.bin), with apt-get download and
#   dpkg-deb -x; two small static programs (tools/linux/guest/) for the
#   discard service and tcpsend; then tools/linux/initramfs.ts packs them.
# Idempotent: each step runs only when its output is missing or older than
# its inputs.
set -euo pipefail
cd "$(dirname "$0")/../.."

OUT=build/linux
DEBS=$OUT/debs
ROOT=$OUT/root
HELPERS=$OUT/helpers
mkdir -p "$DEBS" "$HELPERS"

apt_updated=
apt_update_once() {
  # As root only, and a partly failed update (a mirror mid-sync) still leaves usable lists.
  [ "$(id -u)" = 0 ] && [ -z "$apt_updated" ] || return 0
  apt_updated=1
  apt-get update -qq || echo "linux: apt-get update reported errors, going on"
}

# apt-get download PACKAGE into $DEBS, unless a .deb of it is there already.
download() {
  local name=${1%%:*}
  compgen -G "$DEBS/${name}_*.deb" >/dev/null && return 0
  echo "linux: downloading $1"
  local tmp
  tmp=$(mktemp -d)
  chmod 777 "$tmp" # apt's sandbox user writes the file
  if ! ( cd "$tmp" && apt-get download -qq "$1" 2>/dev/null ); then
    apt_update_once
    ( cd "$tmp" && apt-get download -qq "$1" ) || {
      echo "linux: could not download $1 (is the i386 architecture added? dpkg --add-architecture i386 && apt-get update)" >&2
      rm -rf "$tmp"
      exit 1
    }
  fi
  mv "$tmp"/*.deb "$DEBS/"
  rm -rf "$tmp"
}

kernel_package() {
  apt-cache depends linux-image-686:i386 2>/dev/null | sed -n 's/^ *Depends: \(linux-image-[0-9].*-686\)\(:i386\)\?$/\1/p' | head -n1
}

# 1. The packages. The kernel's real name comes from the meta package's
#    dependency; fresh lists may be needed to know it.
kernel=$(kernel_package)
[ -n "$kernel" ] || { apt_update_once; kernel=$(kernel_package); }
[ -n "$kernel" ] || { echo "linux: apt knows no linux-image-686:i386" >&2; exit 1; }
find "$DEBS" -name 'linux-image-*.deb' ! -name "${kernel}_*" -delete # an older kernel
download "$kernel:i386"
download busybox-static:i386
download seabios

# 2. Unpacked side by side into one tree, again whenever a package is newer.
if [ ! -f "$ROOT/.unpacked" ] || [ -n "$(find "$DEBS" -name '*.deb' -newer "$ROOT/.unpacked")" ]; then
  echo "linux: unpacking"
  rm -rf "$ROOT"
  mkdir -p "$ROOT"
  for deb in "$DEBS"/*.deb; do dpkg-deb -x "$deb" "$ROOT"; done
  touch "$ROOT/.unpacked"
fi

# 3. The guest's helper programs, static i386 binaries (gcc-multilib's 32-bit glibc).
for helper in discard tcpsend; do
  if [ ! -x "$HELPERS/$helper" ] || [ "tools/linux/guest/$helper.c" -nt "$HELPERS/$helper" ]; then
    gcc -m32 -static -Os -s -Wall -Wextra -Werror "tools/linux/guest/$helper.c" -o "$HELPERS/$helper"
  fi
done

# 4. The initramfs, kernel and BIOS, whenever anything they are made from changed.
stamp=$OUT/manifest.json # written last
if [ ! -f "$stamp" ] || [ -n "$(find "$ROOT/.unpacked" "$HELPERS" tools/linux -newer "$stamp" -type f)" ]; then
  npx tsx tools/linux/initramfs.ts
fi
