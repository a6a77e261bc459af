// A booted napkin for the attack and soak benchmarks, wired as `make run`
// wires it: the user network (gateway 10.0.2.2, DHCP, DNS), port forwards
// from the host to the guest's telnet (23) and echo (7) ports, and a station
// with addresses of its own on the same wire, from which attacks come.
import { PortForward } from "../../hostnet/port_forward";
import { Station } from "../../hostnet/station";
import { GUEST, UserNet } from "../../hostnet/user_net";
import { V86Link } from "../../hostnet/v86_link";
import type { NicModel } from "../../vm";
import { SerialConsole } from "../../../test/boot/serial_console";

/** root's password in benchmark guests (set, so the guest is not running with the default). */
export const BENCH_PASSWORD = "bench-secret";
/** The station's addresses: outside the DHCP lease and the gateway's, inside the /24. */
export const STATION_ADDRESSES = Array.from({ length: 8 }, (_, i) => `10.0.2.${100 + i}/24`);
const STATION_MAC = 0x52_54_00_66_00_01;
/** Enough for every probe and soak client at once; the attackers come through the station, not these. */
const FORWARD_MAX_CONNECTIONS = 256;

/** A guest with its network around it. */
export class GuestRig {
  private constructor(
    readonly con: SerialConsole,
    readonly user_net: UserNet,
    readonly station: Station,
    private readonly forwards: PortForward[],
    /** Host ports forwarded to the guest's telnet and echo ports. */
    readonly telnet_port: number,
    readonly echo_port: number,
    readonly discard_port: number,
  ) {}

  /** Boot napkin on `nic` with `cmdline` added to the benchmark's own, and wait for its DHCP lease. */
  static async boot(nic: NicModel = "ne2k", cmdline = "", mem_mib?: number): Promise<GuestRig> {
    const con = await SerialConsole.boot({ nic, mem_mib, cmdline: `telnet_password=${BENCH_PASSWORD} ${cmdline}`.trim() });
    const user_net = new UserNet(new V86Link(con.vm.emulator.bus));
    const station = new Station(con.vm.emulator.bus, { addresses: STATION_ADDRESSES, mac: STATION_MAC });
    const forwards = [23, 7, 9].map(
      (guest_port) => new PortForward(user_net.host, GUEST, { host_port: 0, guest_port, bind: "127.0.0.1" }, FORWARD_MAX_CONNECTIONS),
    );
    const [telnet_port, echo_port, discard_port] = await Promise.all(forwards.map((f) => f.listen()));
    await con.wait_for(/eth0: DHCP lease 10\.0\.2\.15\/24/, 0, 60_000);
    return new GuestRig(con, user_net, station, forwards, telnet_port, echo_port, discard_port);
  }

  /** Stop everything; the guest is switched off. */
  async close(): Promise<void> {
    for (const forward of this.forwards) forward.close();
    this.station.stop();
    this.user_net.stop();
    await this.con.close();
  }
}
