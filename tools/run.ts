// `make run`: boot napkin in v86 with the serial console on this terminal.
//   npx tsx tools/run.ts [--nic ne2k|virtio] [--mem MiB] [--cmdline "..."] [--image PATH]
//                        [--hostfwd tcp:[HOSTADDR:]HOSTPORT-:GUESTPORT]... [--hostfwd-max N] [--pcap FILE]
// Ctrl-A x quits (as in QEMU); Ctrl-A Ctrl-A sends a literal Ctrl-A.
// The NIC is wired to a user network (tools/hostnet/user_net.ts) whose DHCP
// server configures the guest; --hostfwd (default tcp:2323-:23, telnet)
// forwards host ports on 127.0.0.1 (or HOSTADDR) to the guest, each at most
// --hostfwd-max connections at once. A forward off loopback is refused while
// the guest's password is the default (tools/hostnet/exposure.ts).
// --pcap FILE writes every frame on the wire, both ways, to a classic pcap
// file as it passes (through reboots too).
import fs from "fs";
import { PcapWriter } from "../net/pcap";
import { exposure_error } from "./hostnet/exposure";
import { DEFAULT_MAX_CONNECTIONS, parse_hostfwd, PortForward, HostFwd } from "./hostnet/port_forward";
import { GUEST, UserNet } from "./hostnet/user_net";
import { V86Link } from "./hostnet/v86_link";
import { Vm, NicModel, VmOptions } from "./vm";

const DEFAULT_HOSTFWD = "tcp:2323-:23";

const CTRL_A = 0x01;

const USAGE =
  'usage: run [--nic ne2k|virtio] [--mem MiB] [--cmdline "..."] [--image PATH] [--hostfwd tcp:[HOSTADDR:]HOSTPORT-:GUESTPORT]... [--hostfwd-max N] [--pcap FILE]';

/** A command line run.ts refuses; the message says why. */
export class UsageError extends Error {}

function usage(message: string): never {
  throw new UsageError(message);
}

/** What the command line asks for. */
export interface RunArgs {
  options: VmOptions;
  forwards: HostFwd[];
  /** Connections each forward carries at once. */
  max_connections: number;
  /** Where --pcap writes the wire's frames; null without it. */
  pcap: string | null;
}

/** Read run.ts's command line; throws UsageError for one it refuses. */
export function parse_args(argv: string[]): RunArgs {
  const options: VmOptions = {};
  const forwards: HostFwd[] = [];
  let max_connections = DEFAULT_MAX_CONNECTIONS;
  let pcap: string | null = null;
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
      case "--hostfwd-max":
        if (!/^\d+$/.test(value) || +value < 1) usage(`--hostfwd-max wants a number of connections (at least 1), got '${value}'`);
        max_connections = +value;
        break;
      case "--pcap":
        pcap = value;
        break;
      default:
        usage(`unknown option '${flag}'`);
    }
  }
  if (forwards.length === 0) forwards.push(parse_hostfwd(DEFAULT_HOSTFWD));
  const exposed = exposure_error(forwards, options.cmdline ?? "");
  if (exposed !== null) usage(exposed);
  return { options, forwards, max_connections, pcap };
}

/** Bytes of a pcap file before its first record. */
const PCAP_HEADER_LEN = 24;

/**
 * --pcap: a pcap file, written as frames pass so that it is whole whenever
 * the run ends. Returns what takes each frame.
 */
function open_capture(file: string): (frame: Uint8Array) => void {
  const fd = fs.openSync(file, "w");
  fs.writeSync(fd, new PcapWriter().bytes());
  return (frame) => {
    const record = new PcapWriter();
    record.add((performance.timeOrigin + performance.now()) * 1000, frame, 0, frame.length);
    fs.writeSync(fd, record.bytes().subarray(PCAP_HEADER_LEN));
  };
}

/** One machine: v86, its user-mode network and the port forwards. */
async function boot_machine(
  { options, forwards, max_connections }: RunArgs,
  capture: ((frame: Uint8Array) => void) | null,
): Promise<{ vm: Vm; shutdown(): void }> {
  const vm = await Vm.boot(options);
  vm.on_serial((byte) => process.stdout.write(Buffer.of(byte)));
  const opened: PortForward[] = [];
  let user_net: UserNet | null = null;
  if (options.nic !== "none") {
    const link = new V86Link(vm.emulator.bus);
    if (capture !== null) link.on_frame = (_direction, frame) => capture(frame);
    user_net = new UserNet(link);
    for (const fwd of forwards) {
      const forward = new PortForward(user_net.host, GUEST, fwd, max_connections);
      const port = await forward.listen().catch((error: Error) => {
        process.stderr.write(`napkin: cannot forward ${fwd.bind}:${fwd.host_port}: ${error.message} (pick another with --hostfwd)\r\n`);
        return null;
      });
      if (port === null) continue;
      opened.push(forward);
      // Said for the first refusal and every hundredth: a flood must not flood the terminal too.
      forward.on_refuse = (refused) => {
        if (refused === 1 || refused % 100 === 0) {
          process.stderr.write(
            `\r\nnapkin: ${fwd.bind}:${port} carries ${max_connections} connections already (--hostfwd-max); ${refused} refused so far\r\n`,
          );
        }
      };
      const hint =
        fwd.guest_port === 23 ? `: telnet ${fwd.bind} ${port} (user root, password napkin unless telnet_password= says otherwise)` : "";
      process.stderr.write(
        `napkin: forwarding ${fwd.bind}:${port} to guest port ${fwd.guest_port}, at most ${max_connections} connections${hint}\r\n`,
      );
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
  let args: RunArgs;
  try {
    args = parse_args(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`run: ${error.message}\n${USAGE}\n`);
    process.exit(2);
  }
  let capture: ((frame: Uint8Array) => void) | null = null;
  try {
    if (args.pcap !== null) capture = open_capture(args.pcap);
  } catch (error) {
    process.stderr.write(`run: --pcap: ${(error as Error).message}\n`);
    process.exit(2);
  }
  const stdin = process.stdin;
  const restore_terminal = () => {
    if (stdin.isTTY) stdin.setRawMode(false);
  };
  process.on("exit", restore_terminal);

  process.stderr.write("napkin: booting in v86; Ctrl-A x quits\r\n");
  let machine = await boot_machine(args, capture);

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
    machine = await boot_machine(args, capture);
  }
}

if (require.main === module) {
  main().catch((error) => {
    process.stderr.write(`run: ${error instanceof Error ? error.stack : error}\n`);
    process.exit(1);
  });
}
