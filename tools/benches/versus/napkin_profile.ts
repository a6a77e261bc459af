// napkin as the benchmarks boot it: the static address from the command line.
import { GUEST_ADDRESS, GuestProfile, HOST_ADDRESS, NicConfig, PREFIX } from "./guest_profile";

const PROMPT = "napkin# ";

export function napkin_profile(image?: string): GuestProfile {
  return {
    name: "napkin",
    prompt: PROMPT,
    vm_options: (config: NicConfig) => ({
      image,
      nic: config.nic,
      mtu: config.mtu,
      mem_mib: 128,
      cmdline: `ip=${GUEST_ADDRESS}/${PREFIX} gw=${HOST_ADDRESS} dhcp_timeout=0`,
    }),
    address_commands: [],
    mtu_command: (mtu) => `ip link set dev eth0 mtu ${mtu}`,
    mode_command: (mode) => `ip link set dev eth0 mode ${mode}`,
    send_command: (address, bytes) => `tcpsend ${address} ${bytes}`,
    telnet: { login: { user: "root", password: "napkin" }, prompt: PROMPT },
    poll_lateness_command: "cat /proc/net/netns_poll",
    stage_split: null,
  };
}
