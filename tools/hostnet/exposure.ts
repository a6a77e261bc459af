// Whether a set of port forwards would offer the guest's login to other
// machines while root's password is still the development default: a forward
// bound to anything but loopback is reachable from the network, and the
// default password is printed in the README.
import { DEFAULT_TELNET_PASSWORD } from "../../kernel/services/telnetd/options";
import type { HostFwd } from "./port_forward";

/** Whether `bind` is a loopback address (127.0.0.0/8), reachable from this machine only. */
export function is_loopback(bind: string): boolean {
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(bind);
}

/** The guest's telnet password as the kernel command line sets it, or the default. */
export function guest_password(cmdline: string): string {
  const m = /(?:^|\s)telnet_password=(\S+)/.exec(cmdline);
  return m ? m[1] : DEFAULT_TELNET_PASSWORD;
}

/** Why these forwards must not be opened with this command line, or null if they may. */
export function exposure_error(forwards: HostFwd[], cmdline: string): string | null {
  if (guest_password(cmdline) !== DEFAULT_TELNET_PASSWORD) return null;
  const exposed = forwards.filter((fwd) => !is_loopback(fwd.bind));
  if (exposed.length === 0) return null;
  const where = exposed.map((fwd) => `${fwd.bind}:${fwd.host_port}`).join(", ");
  return (
    `--hostfwd on ${where} would let other machines log in as root with the default password '${DEFAULT_TELNET_PASSWORD}'; ` +
    `set your own with --cmdline "telnet_password=SECRET", or bind to 127.0.0.1`
  );
}
