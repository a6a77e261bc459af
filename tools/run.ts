// `make run`: boot napkin in v86 with the serial console on this terminal.
//   npx tsx tools/run.ts [--nic ne2k|virtio] [--mem MiB] [--cmdline "..."] [--image PATH]
//                        [--hostfwd tcp:HOSTPORT-:GUESTPORT]...
// Ctrl-A x quits (as in QEMU); Ctrl-A Ctrl-A sends a literal Ctrl-A.
// The NIC is wired to a user network (tools/hostnet/user_net.ts) whose DHCP
// server configures the guest; --hostfwd (default tcp:2323-:23, telnet)
// forwards host ports on 127.0.0.1 to the guest.
import { parse_hostfwd, PortForward, HostFwd } from "./hostnet/port_forward";
import { GUEST, UserNet } from "./hostnet/user_net";
import { V86Link } from "./hostnet/v86_link";
import { Vm, NicModel, VmOptions } from "./vm";

const DEFAULT_HOSTFWD = "tcp:2323-:23";

const CTRL_A = 0x01;

function usage(message: string): never {
  process.stderr.write(`run: ${message}\nusage: run [--nic ne2k|virtio] [--mem MiB] [--cmdline "..."] [--image PATH] [--hostfwd tcp:HOSTPORT-:GUESTPORT]...\n`);
  process.exit(2);
}

function parse_args(argv: string[]): { options: VmOptions; forwards: HostFwd[] } {
  const options: VmOptions = {};
  const forwards: HostFwd[] = [];
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    if (value === undefined) usage(`${flag} needs a value`);
    i++;
    switch (flag) {
      case "--nic":
        if (value !== "ne2k" && value !== "virtio") usage(`unknown NIC '${value}'`);
        options.nic = value as NicModel;
        break;
      case "--mem":
        if (!/^\d+$/.test(value) || +value < 16) usage(`--mem wants MiB (at least 16), got '${value}'`);
        options.mem_mib = +value;
        break;
      case "--cmdline":
        options.cmdline = value;
        break;
      case "--image":
        options.image = value;
        break;
      case "--hostfwd":
        try {
          forwards.push(parse_hostfwd(value));
        } catch (error) {
          usage((error as Error).message);
        }
        break;
      default:
        usage(`unknown option '${flag}'`);
    }
  }
  if (forwards.length === 0) forwards.push(parse_hostfwd(DEFAULT_HOSTFWD));
  return { options, forwards };
}

/** One machine: v86, its user-mode network and the port forwards. */
async function boot_machine(options: VmOptions, forwards: HostFwd[]): Promise<{ vm: Vm; shutdown(): void }> {
  const vm = await Vm.boot(options);
  vm.on_serial((byte) => process.stdout.write(Buffer.of(byte)));
  const opened: PortForward[] = [];
  let user_net: UserNet | null = null;
  if (options.nic !== "none") {
    user_net = new UserNet(new V86Link(vm.emulator.bus));
    for (const fwd of forwards) {
      const forward = new PortForward(user_net.host, GUEST, fwd);
      const port = await forward.listen().catch((error: Error) => {
        process.stderr.write(`napkin: cannot forward ${fwd.bind}:${fwd.host_port}: ${error.message} (pick another with --hostfwd)\r\n`);
        return null;
      });
      if (port === null) continue;
      opened.push(forward);
      const hint = fwd.guest_port === 23 ? `: telnet ${fwd.bind} ${port} (user root, password napkin unless telnet_password= says otherwise)` : "";
      process.stderr.write(`napkin: forwarding ${fwd.bind}:${port} to guest port ${fwd.guest_port}${hint}\r\n`);
    }
  }
  return {
    vm,
    shutdown() {
      for (const forward of opened) forward.close();
      user_net?.stop();
    },
  };
}

async function main(): Promise<void> {
  const { options, forwards } = parse_args(process.argv.slice(2));
  const stdin = process.stdin;
  const restore_terminal = () => {
    if (stdin.isTTY) stdin.setRawMode(false);
  };
  process.on("exit", restore_terminal);

  process.stderr.write("napkin: booting in v86; Ctrl-A x quits\r\n");
  let machine = await boot_machine(options, forwards);

  if (stdin.isTTY) stdin.setRawMode(true);
  let after_ctrl_a = false;
  stdin.on("data", (chunk: Buffer) => {
    for (const byte of chunk) {
      if (after_ctrl_a) {
        after_ctrl_a = false;
        if (byte === 0x78 /* x */) {
          process.stderr.write("\r\nnapkin: terminated by Ctrl-A x\r\n");
          void machine.vm.stop();
          return;
        }
        if (byte !== CTRL_A) continue;
      } else if (byte === CTRL_A) {
        after_ctrl_a = true;
        continue;
      }
      machine.vm.serial_send(Uint8Array.of(byte));
    }
  });
  stdin.on("end", () => {
    // Input closed (e.g. piped): keep running until the guest powers off.
  });

  for (;;) {
    const exit = await machine.vm.wait_exit();
    machine.shutdown();
    if (!exit.reboot) {
      restore_terminal();
      if (exit.code !== null && exit.code !== 0) process.stderr.write(`\r\nnapkin: exited with code ${exit.code}\r\n`);
      process.exit(exit.code ?? 0);
    }
    process.stderr.write("\r\nnapkin: the guest reset the machine; booting it again\r\n");
    machine = await boot_machine(options, forwards);
  }
}

main().catch((error) => {
  process.stderr.write(`run: ${error instanceof Error ? error.stack : error}\n`);
  process.exit(1);
});
