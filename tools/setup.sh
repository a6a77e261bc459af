#!/usr/bin/env bash
# Installs what a fresh machine lacks to build and test napkin, and nothing
# else. Idempotent: when everything is present it only checks and returns.
#   - npm packages (npm ci)
#   - gcc-multilib (32-bit libgcc) and musl-dev:i386 (the guest's libc), from Debian
#   - the QuickJS 2021-03-27 source, from the qjsc@0.3.0 tarball, pinned by hash,
#     with napkin's patches (boot/quickjs-patches) applied
#   - chromium (Debian's), for the browser test of `make web`
#   - tshark, for the boot test that reads the pcap files napkin writes
# apt is used only when something is missing and only as root; otherwise the
# exact commands are printed.
set -euo pipefail
cd "$(dirname "$0")/.."

QJSC_TARBALL_SHA512="a7+cU6/IVcZbIejffdt/wZVMX6LL2MDL3HQ9Zb5Gm23G9DvBMS/z9GHFxz39bAvp2PvMOM+ypSOAyokt2DdZ2w=="
QJS_DIR=deps/quickjs_2021_03_27
MUSL_DIR=deps/musl
MUSL_VERSION=1.2.3-1

need_root() {
  if [ "$(id -u)" != 0 ]; then
    echo "setup: missing $1. As root, run:" >&2
    echo "    $2" >&2
    exit 1
  fi
}

apt_updated=
apt_update_once() {
  # A partly failed update (a mirror mid-sync) still leaves usable lists.
  [ -n "$apt_updated" ] || { apt-get update -qq || echo "setup: apt-get update reported errors, going on"; apt_updated=1; }
}

# 1. npm packages
if [ ! -x node_modules/.bin/esbuild ] || [ ! -d node_modules/v86 ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: installing npm packages"
  npm ci --no-audit --no-fund --loglevel=error
fi

# 2. gcc-multilib: a 32-bit libgcc for the guest, and 32-bit glibc for the host bytecode compiler
if [ ! -f "$(gcc -m32 -print-libgcc-file-name 2>/dev/null)" ] || [ ! -f /usr/include/x86_64-linux-gnu/gnu/stubs-32.h ] && [ ! -f /usr/include/i386-linux-gnu/gnu/stubs-32.h ]; then
  need_root gcc-multilib "apt-get update && apt-get install -y gcc-multilib"
  echo "setup: installing gcc-multilib"
  apt_update_once
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gcc-multilib >/dev/null
fi

# 3. musl-dev:i386, unpacked into deps/ (not installed system-wide)
if [ ! -f "$MUSL_DIR/usr/lib/i386-linux-musl/libc.a" ]; then
  if ! dpkg --print-foreign-architectures | grep -qx i386; then
    need_root "the i386 package architecture" "dpkg --add-architecture i386 && apt-get update"
    dpkg --add-architecture i386
    apt_updated=
  fi
  if [ "$(id -u)" = 0 ]; then apt_update_once; fi
  echo "setup: fetching musl-dev:i386"
  tmp=$(mktemp -d)
  chmod 777 "$tmp"
  ( cd "$tmp" && apt-get download -qq "musl-dev:i386=$MUSL_VERSION" 2>/dev/null || apt-get download -qq musl-dev:i386 ) || {
    echo "setup: could not download musl-dev:i386. Run: dpkg --add-architecture i386 && apt-get update" >&2
    exit 1
  }
  mkdir -p "$MUSL_DIR"
  dpkg-deb -x "$tmp"/musl-dev_*_i386.deb "$MUSL_DIR"
  rm -rf "$tmp"
fi

# 4. QuickJS source from the qjsc@0.3.0 tarball. npm pack only downloads it:
#    installing qjsc would run its install script, which builds a Node addon.
#    napkin's own changes (boot/quickjs-patches) are applied to it, in the
#    order their series file lists them (each is made against the source with
#    those before it); a change of those brings a fresh copy.
qjs_patch_files=$(sed 's#^#boot/quickjs-patches/#' boot/quickjs-patches/series)
for patch in boot/quickjs-patches/*.patch; do
  if ! printf '%s\n' $qjs_patch_files | grep -qx "$patch"; then
    echo "setup: $patch is not in boot/quickjs-patches/series" >&2
    exit 1
  fi
done
qjs_patches=$(cat boot/quickjs-patches/series $qjs_patch_files | openssl dgst -sha256 -r | cut -d' ' -f1)
if [ ! -f "$QJS_DIR/quickjs.c" ] || [ "$(cat "$QJS_DIR/.napkin-patches" 2>/dev/null)" != "$qjs_patches" ]; then
  echo "setup: fetching the QuickJS source (qjsc@0.3.0)"
  tmp=$(mktemp -d)
  ( cd "$tmp" && npm pack qjsc@0.3.0 --silent >/dev/null )
  got=$(openssl dgst -sha512 -binary "$tmp/qjsc-0.3.0.tgz" | base64 -w0)
  if [ "$got" != "$QJSC_TARBALL_SHA512" ]; then
    echo "setup: qjsc-0.3.0.tgz has sha512 $got, expected $QJSC_TARBALL_SHA512" >&2
    exit 1
  fi
  tar -xzf "$tmp/qjsc-0.3.0.tgz" -C "$tmp"
  for patch in $qjs_patch_files; do
    echo "setup: applying $patch"
    git apply --directory="$tmp/package/deps/quickjs_2021_03_27" --unsafe-paths -p1 "$patch"
  done
  echo "$qjs_patches" > "$tmp/package/deps/quickjs_2021_03_27/.napkin-patches"
  mkdir -p deps
  rm -rf "$QJS_DIR"
  mv "$tmp/package/deps/quickjs_2021_03_27" "$QJS_DIR"
  rm -rf "$tmp"
fi

# 5. QEMU, for the boot tests that run the same image on a second machine
#    (its user-mode network is restricted: nothing leaves the process)
if ! command -v qemu-system-i386 >/dev/null 2>&1; then
  need_root qemu-system-x86 "apt-get update && apt-get install -y --no-install-recommends qemu-system-x86"
  echo "setup: installing qemu-system-x86"
  apt_update_once
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends qemu-system-x86 >/dev/null
fi

# 6. Chromium, for the browser test of `make web` (puppeteer-core drives this
#    one; nothing downloads a browser of its own)
if [ ! -x /usr/bin/chromium ]; then
  need_root chromium "apt-get update && apt-get install -y chromium"
  echo "setup: installing chromium"
  apt_update_once
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi

# 7. tshark, for the boot test that reads the pcap files napkin writes
#    (tcpdump -w -, make run --pcap) and checks every frame and checksum
if ! command -v tshark >/dev/null 2>&1; then
  need_root tshark "apt-get update && apt-get install -y --no-install-recommends tshark"
  echo "setup: installing tshark"
  apt_update_once
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends tshark >/dev/null
fi
