// The same image on a different machine: QEMU, with a BIOS that already
// routed PCI interrupts, QEMU's NE2000 and its virtio-net with MMIO BARs.
// The drivers follow the specs, not one emulator, so napkin must get a DHCP
// lease from QEMU's user-mode network and ping its gateway there too.
import { strict as assert } from "assert";
import { QemuNic } from "../../tools/qemu";
import { SerialConsole } from "./serial_console";

for (const nic of ["ne2k_pci", "virtio-net-pci"] as QemuNic[]) {
  describe(`boot: QEMU with ${nic}`, function () {
    this.timeout(120_000);

    it("gets a DHCP lease, pings the gateway and powers off", async () => {
      const con = await SerialConsole.boot_qemu({ nic });
      try {
        await con.wait_for(/eth0: DHCP lease 10\.0\.2\.15\/24/, 0, 30_000);
        const driver = nic === "ne2k_pci" ? /eth0: NE2000/ : /eth0: virtio-net .*: mmio regs/;
        assert.match(await con.run("dmesg"), driver);
        assert.match(await con.run("ping -c 3 -i 0.2 10.0.2.2", 30_000), /3 packets transmitted, 3 received, 0% packet loss/);
        con.send("poweroff\r");
        assert.equal((await con.vm.wait_exit()).code, 0);
      } finally {
        await con.close();
      }
    });
  });
}
