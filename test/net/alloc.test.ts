// The receive path must not allocate per packet (the guest pays ~50 µs per
// object). Under Node we check it with V8's own counters: after a warm-up,
// run the path many times and require that the young generation neither grew
// nor was collected. Any per-packet object would show up as either.
// The payload copy into/out of socket buffers is done by an injected copy
// routine here, standing in for the guest's native memcpy (the JS fallback
// creates one subarray per long copy; see net/wire/bytes.ts).
//
// The measurements run in a Node process of their own (alloc_probe.ts).
// In the test runner's process, the other tests' types reach the stack's
// call sites too; V8 then inlines less, and boxes the timestamps (doubles)
// that the calls it no longer inlines return: a few bytes per segment that
// are V8's, not the stack's (the guest's engine carries doubles in its
// values). A fresh process sees the stack alone, as the guest runs it.
import * as assert from "assert";
import { execFileSync } from "child_process";
import * as path from "path";
import { TCP_BYTES, UDP_PACKETS } from "./alloc_probe";

interface Growth {
  bytes: number;
  gcs: number;
}

describe("net: receive path allocation", () => {
  let measured: { udp: Growth & { unprocessed: number }; tcp: Growth };
  before(function () {
    this.timeout(60_000);
    const probe = path.join(__dirname, "alloc_probe.ts");
    measured = JSON.parse(execFileSync(process.execPath, ["--require", "tsx/cjs", probe], { encoding: "utf8" }));
  });

  it("UDP receive + recv_slice allocates nothing per packet", () => {
    const { bytes, gcs, unprocessed } = measured.udp;
    assert.strictEqual(unprocessed, 0);
    assert.ok(gcs === 0 && bytes < 64 * 1024, `${bytes} bytes, ${gcs} GCs over ${UDP_PACKETS} packets`);
  });

  it("TCP bulk transfer (both stacks, rx and tx) allocates nothing per segment in steady state", () => {
    const { bytes, gcs } = measured.tcp;
    assert.ok(gcs === 0 && bytes < 320 * 1024, `${bytes} bytes, ${gcs} GCs over ~${Math.round(TCP_BYTES / 1460)} segments`);
  });
});
