// Debian's Linux as tools/linux/build.sh packs it: busybox, the NIC modules,
// a discard service and tcpsend (tools/linux/guest/), telnetd without login.
import { LINUX_ARTEFACTS } from "../../linux/artefacts";
import { GUEST_ADDRESS, GuestProfile, HOST_ADDRESS, NicConfig, PREFIX } from "./guest_profile";

const PROMPT = "linux# ";

/**
 * The serial console; no self-tests of the crypto API, no ISA PnP or PnP BIOS
 * probes, no boot messages on the slow serial line (together about 4% of the
 * boot's instructions), and no IPv6, whose router solicitations would be the
 * only traffic napkin never sends. mitigations=off because napkin has none;
 * in v86 it moves Linux's instructions per ping by under 2%.
 */
export const LINUX_CMDLINE = "console=ttyS0 cryptomgr.notests quiet noisapnp pnpbios=off ipv6.disable=1 mitigations=off";

export function linux_profile(): GuestProfile {
  return {
    name: "linux",
    prompt: PROMPT,
    vm_options: (config: NicConfig) => ({
      linux: LINUX_ARTEFACTS,
      nic: config.nic,
      mtu: config.mtu,
      mem_mib: 128,
      cmdline: LINUX_CMDLINE,
    }),
    address_commands: [
      `ip addr add ${GUEST_ADDRESS}/${PREFIX} dev eth0`,
      "ip link set dev eth0 up",
      `ip route add default via ${HOST_ADDRESS}`,
    ],
    mtu_command: (mtu) => `ip link set dev eth0 mtu ${mtu}`,
    mode_command: null, // its drivers always use NAPI
    send_command: (address, bytes) => `tcpsend ${address} ${bytes}`,
    telnet: { login: null, prompt: PROMPT },
    poll_lateness_command: null,
    stage_split: null,
  };
}
