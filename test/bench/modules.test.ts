// Reading a kernel module's dependencies from its .modinfo strings.
import { strict as assert } from "assert";
import { modinfo_depends } from "../../tools/linux/modules";

function fake_module(modinfo: string[]): Uint8Array {
  // Some ELF-ish bytes around a .modinfo section of NUL-terminated key=value strings.
  return new TextEncoder().encode("\x7fELF\x01\x01\x01\0junk depends=not-this-one" + "\0" + modinfo.join("\0") + "\0trailing");
}

describe("tools/linux modinfo_depends", () => {
  it("lists the modules named by depends=, with '-' read as '_'", () => {
    assert.deepEqual(modinfo_depends(fake_module(["license=GPL", "depends=virtio_ring,virtio,net-failover", "name=virtio_net"])), [
      "virtio_ring",
      "virtio",
      "net_failover",
    ]);
  });

  it("finds no dependencies in an empty depends=", () => {
    assert.deepEqual(modinfo_depends(fake_module(["depends=", "name=8390"])), []);
  });
});
