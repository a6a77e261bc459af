// What differs between the guests the benchmark compares; everything else,
// host side and measurement, is the same code for both. Both guests take the
// address 10.0.2.15/24 with the gateway (the host stack) at 10.0.2.2, print
// their counters in Linux's /proc formats (proc_counters.ts), run a discard
// service on TCP and UDP port 9 and a telnetd on port 23.
import type { VmOptions } from "../../vm";

export type Nic = "ne2k" | "virtio";
export type NicMode = "napi" | "interrupt";

/** A NIC as v86 emulates it, and the MTU both ends use. */
export interface NicConfig {
  nic: Nic;
  mtu: number;
}

export function nic_label(config: NicConfig): string {
  return config.mtu === 1500 ? config.nic : `${config.nic}-mtu${config.mtu}`;
}

export const GUEST_ADDRESS = "10.0.2.15";
export const HOST_ADDRESS = "10.0.2.2";
export const PREFIX = 24;
export const DISCARD_PORT = 9;
export const TELNET_PORT = 23;

export interface GuestProfile {
  name: "napkin" | "linux";
  /** The serial shell's prompt. */
  prompt: string;
  vm_options(config: NicConfig): VmOptions;
  /** Run once the prompt is up, to give eth0 the static address (none if the boot did). */
  address_commands: string[];
  mtu_command(mtu: number): string;
  /** Switch the NIC between NAPI polling and one interrupt per frame; null if the guest cannot. */
  mode_command: ((mode: NicMode) => string) | null;
  /** Send `bytes` bytes over TCP to the discard service (port 9) of `address`; returns when all arrived. */
  send_command(address: string, bytes: number): string;
  /** How its telnetd greets: a login to answer (null: straight to a shell) and the shell's prompt. */
  telnet: { login: { user: string; password: string } | null; prompt: string };
  /** Wake-up lateness of the thread that polls on behalf of timers (napkin's netns_poll); null if none. */
  poll_lateness_command: string | null;
  /**
   * The cost of a received packet split by stage (driver, NAPI, stack,
   * socket, wake-up) in guest instructions, from a guest command. napkin is
   * to provide one; until then, and on Linux, null.
   */
  stage_split: { command: string; parse(output: string): Record<string, number> } | null;
}
