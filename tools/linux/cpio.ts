// The "newc" cpio format Linux unpacks an initramfs from
// (Documentation/driver-api/early-userspace/buffer-format.rst): for each
// entry a 110-byte ASCII header of thirteen 8-digit hex fields, the name with
// its NUL, padding to 4 bytes, the data, padding to 4 bytes; then an entry
// named TRAILER!!!. Every entry is owned by root, timestamp 0, so the same
// tree always packs to the same bytes.

export type CpioEntry =
  | { kind: "dir"; path: string; mode?: number }
  | { kind: "file"; path: string; data: Uint8Array; mode?: number }
  | { kind: "symlink"; path: string; target: string }
  | { kind: "char"; path: string; major: number; minor: number; mode?: number };

const MAGIC = "070701";
const HEADER_SIZE = 110;
const TRAILER = "TRAILER!!!";

const S_IFDIR = 0o040000;
const S_IFREG = 0o100000;
const S_IFLNK = 0o120000;
const S_IFCHR = 0o020000;

interface Header {
  ino: number;
  mode: number;
  nlink: number;
  filesize: number;
  rdevmajor: number;
  rdevminor: number;
  namesize: number;
}

function hex8(value: number): string {
  return (value >>> 0).toString(16).padStart(8, "0");
}

function header_text(h: Header): string {
  const fields = [
    h.ino,
    h.mode,
    0 /* uid */,
    0 /* gid */,
    h.nlink,
    0 /* mtime */,
    h.filesize,
    0,
    0 /* devmajor, devminor */,
    h.rdevmajor,
    h.rdevminor,
    h.namesize,
    0 /* check */,
  ];
  return MAGIC + fields.map(hex8).join("");
}

function pad4(length: number): number {
  return (4 - (length % 4)) % 4;
}

/** One entry's bytes: header, name, data, each padded to 4 bytes. */
function record(ino: number, name: string, mode: number, data: Uint8Array, rdev: [number, number] = [0, 0], nlink = 1): Uint8Array {
  const name_bytes = new TextEncoder().encode(name + "\0");
  const head = new TextEncoder().encode(
    header_text({ ino, mode, nlink, filesize: data.length, rdevmajor: rdev[0], rdevminor: rdev[1], namesize: name_bytes.length }),
  );
  const name_end = HEADER_SIZE + name_bytes.length;
  const data_start = name_end + pad4(name_end);
  const out = new Uint8Array(data_start + data.length + pad4(data.length));
  out.set(head, 0);
  out.set(name_bytes, HEADER_SIZE);
  out.set(data, data_start);
  return out;
}

/** Paths in the archive have no leading slash, as `find . | cpio -o` writes them (minus the "./"). */
function archive_name(path: string): string {
  return path.replace(/^\/+/, "");
}

/** Packs the entries, in order (a directory must come before what it holds), and the trailer. */
export function cpio_newc(entries: CpioEntry[]): Uint8Array {
  const records: Uint8Array[] = [];
  let ino = 1;
  for (const e of entries) {
    const name = archive_name(e.path);
    switch (e.kind) {
      case "dir":
        records.push(record(ino++, name, S_IFDIR | (e.mode ?? 0o755), new Uint8Array(0), [0, 0], 2));
        break;
      case "file":
        records.push(record(ino++, name, S_IFREG | (e.mode ?? 0o644), e.data));
        break;
      case "symlink":
        records.push(record(ino++, name, S_IFLNK | 0o777, new TextEncoder().encode(e.target)));
        break;
      case "char":
        records.push(record(ino++, name, S_IFCHR | (e.mode ?? 0o600), new Uint8Array(0), [e.major, e.minor]));
        break;
    }
  }
  records.push(record(0, TRAILER, 0, new Uint8Array(0), [0, 0], 1));
  const total = records.reduce((n, r) => n + r.length, 0);
  const out = new Uint8Array(total);
  let at = 0;
  for (const r of records) {
    out.set(r, at);
    at += r.length;
  }
  return out;
}
