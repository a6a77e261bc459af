// The initramfs writer: newc headers field by field, 4-byte alignment of
// names and data, device numbers, symlink targets, and the trailer.
import { strict as assert } from "assert";
import { cpio_newc } from "../../tools/linux/cpio";

interface Parsed {
  name: string;
  mode: number;
  nlink: number;
  rdev: [number, number];
  data: Uint8Array;
  header_at: number;
  data_at: number;
}

/** A reader written from the format's description, independent of the writer. */
function parse(archive: Uint8Array): Parsed[] {
  const text = (from: number, length: number) => Buffer.from(archive.subarray(from, from + length)).toString("latin1");
  const field = (at: number, i: number) => parseInt(text(at + 6 + i * 8, 8), 16);
  const out: Parsed[] = [];
  let at = 0;
  for (;;) {
    assert.equal(text(at, 6), "070701", `magic at ${at}`);
    const namesize = field(at, 11);
    const filesize = field(at, 6);
    const name = text(at + 110, namesize - 1);
    assert.equal(archive[at + 110 + namesize - 1], 0, "name ends with NUL");
    const data_at = Math.ceil((at + 110 + namesize) / 4) * 4;
    out.push({
      name,
      mode: field(at, 1),
      nlink: field(at, 4),
      rdev: [field(at, 9), field(at, 10)],
      data: archive.subarray(data_at, data_at + filesize),
      header_at: at,
      data_at,
    });
    if (name === "TRAILER!!!") return out;
    at = Math.ceil((data_at + filesize) / 4) * 4;
  }
}

describe("tools/linux cpio_newc", () => {
  const archive = cpio_newc([
    { kind: "dir", path: "/bin" },
    { kind: "file", path: "bin/hello", data: new TextEncoder().encode("hi!\n\x00"), mode: 0o755 },
    { kind: "symlink", path: "bin/sh", target: "busybox" },
    { kind: "char", path: "dev/console", major: 5, minor: 1 },
  ]);
  const entries = parse(archive);

  it("writes each entry, then the trailer, with names relative to the root", () => {
    assert.deepEqual(
      entries.map((e) => e.name),
      ["bin", "bin/hello", "bin/sh", "dev/console", "TRAILER!!!"],
    );
  });

  it("encodes the file type and permissions in the mode", () => {
    assert.deepEqual(
      entries.map((e) => e.mode.toString(8)),
      ["40755", "100755", "120777", "20600", "0"],
    );
    assert.equal(entries[0].nlink, 2);
  });

  it("keeps file contents and symlink targets as data, 4-byte aligned", () => {
    assert.equal(new TextDecoder().decode(entries[1].data), "hi!\n\x00");
    assert.equal(new TextDecoder().decode(entries[2].data), "busybox");
    for (const e of entries) {
      assert.equal(e.header_at % 4, 0);
      assert.equal(e.data_at % 4, 0);
    }
    assert.equal(archive.length % 4, 0);
  });

  it("records device numbers for device nodes", () => {
    assert.deepEqual(entries[3].rdev, [5, 1]);
    assert.equal(entries[3].data.length, 0);
  });

  it("writes the same bytes for the same tree", () => {
    const again = cpio_newc([
      { kind: "dir", path: "/bin" },
      { kind: "file", path: "bin/hello", data: new TextEncoder().encode("hi!\n\x00"), mode: 0o755 },
      { kind: "symlink", path: "bin/sh", target: "busybox" },
      { kind: "char", path: "dev/console", major: 5, minor: 1 },
    ]);
    assert.deepEqual(again, archive);
  });

  it("lays out a header exactly as the format says", () => {
    const one = cpio_newc([{ kind: "file", path: "a", data: Uint8Array.of(1, 2, 3) }]);
    const header = Buffer.from(one.subarray(0, 110)).toString("latin1");
    // ino 1, mode 0100644, uid 0, gid 0, nlink 1, mtime 0, size 3, dev 0:0, rdev 0:0, namesize 2, check 0
    assert.equal(
      header,
      "070701" + ["1", "81a4", "0", "0", "1", "0", "3", "0", "0", "0", "0", "2", "0"].map((f) => f.padStart(8, "0")).join(""),
    );
    assert.deepEqual([...one.subarray(110, 116)], [0x61, 0, 1, 2, 3, 0]); // "a\0", data right after: 112 is aligned
  });
});
