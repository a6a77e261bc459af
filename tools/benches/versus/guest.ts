// One booted guest on the benchmark's wire: the VM, its serial shell, the
// paced host end of the NIC and the host stack (10.0.2.2) behind it, and the
// instruction counter. Booting measures the time and guest instructions from
// power-on (the first instruction the guest's CPU runs) to the shell prompt,
// and apart from that the time v86 took to set itself up before power-on.
import { HostStack } from "../../hostnet/host_stack";
import { Vm } from "../../vm";
import { GuestProfile, HOST_ADDRESS, NicConfig, PREFIX } from "./guest_profile";
import { InstructionCounter } from "./instruction_counter";
import { PacedLink } from "./paced_link";
import { COUNTERS_COMMAND, GuestCounters, parse_counters } from "./proc_counters";
import { SerialShell } from "./serial_shell";

const BOOT_TIMEOUT_MS = 180_000;

export interface BootFigures {
  /** From power-on to the prompt. */
  ms: number;
  /** v86's own setup before power-on (its wasm, the RAM, the images loaded): the same work for any guest. */
  setup_ms: number;
  instructions: number;
}

export class Guest {
  private constructor(
    readonly profile: GuestProfile,
    readonly config: NicConfig,
    readonly vm: Vm,
    readonly shell: SerialShell,
    readonly link: PacedLink,
    readonly host: HostStack,
    readonly instructions: InstructionCounter,
    readonly boot: BootFigures,
  ) {}

  static async boot(profile: GuestProfile, config: NicConfig): Promise<Guest> {
    const t0 = performance.now();
    const vm = await Vm.boot(profile.vm_options(config));
    const instructions = new InstructionCounter(() => vm.emulator.get_instruction_counter());
    const shell = new SerialShell(vm, profile.prompt);
    await shell.wait_for(profile.prompt, 0, BOOT_TIMEOUT_MS);
    const boot = { ms: performance.now() - vm.powered_on_at, setup_ms: vm.powered_on_at - t0, instructions: instructions.total() };
    const link = new PacedLink(vm.emulator.bus, config.mtu, vm.emulator.v86);
    const host = new HostStack(link, { address: `${HOST_ADDRESS}/${PREFIX}` });
    const guest = new Guest(profile, config, vm, shell, link, host, instructions, boot);
    for (const command of profile.address_commands) await shell.run(command);
    await shell.run(profile.mtu_command(config.mtu));
    return guest;
  }

  async counters(): Promise<GuestCounters> {
    return parse_counters(await this.shell.run(COUNTERS_COMMAND));
  }

  async stop(): Promise<void> {
    this.instructions.stop();
    this.host.stop();
    await this.vm.stop();
  }
}
