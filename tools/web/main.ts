// The page: napkin booting in v86, its serial console in one terminal, a
// Telnet session over the in-page network in another, and a panel of rates.
import "@xterm/xterm/css/xterm.css";
import "./style.css";
import { Terminal } from "@xterm/xterm";
import { UserNet, GUEST } from "../hostnet/user_net";
import { V86Link } from "../hostnet/v86_link";
import { create_napkin_vm } from "./boot_v86";
import { attach_serial } from "./serial_terminal";
import { HostCounters } from "./host_counters";
import { GuestStats } from "./guest_stats";
import { RatePanel } from "./panel";
import { TelnetTerminal } from "./telnet_terminal";
import { expose_test_hook } from "./test_hook";

/** The page's network leases the guest its address; this one is the fallback should DHCP fail. */
const CMDLINE = "ip=10.0.2.15/24 gw=10.0.2.2";

function terminal(id: string): Terminal {
  const term = new Terminal({ cols: 80, rows: 30, fontSize: 13, scrollback: 2000 });
  term.open(document.getElementById(id)!);
  return term;
}

async function main(): Promise<void> {
  const status = document.getElementById("status")!;
  const serial = terminal("serial");
  const telnet = terminal("telnet");
  status.textContent = "booting…";
  const vm = await create_napkin_vm(CMDLINE, (code) => (status.textContent = `guest exited with code ${code}`));
  const type_serial = attach_serial(serial, vm);
  const net = new UserNet(new V86Link(vm.bus));
  const telnet_terminal = new TelnetTerminal(telnet, net.host, GUEST);
  const guest_stats = new GuestStats(net.host, GUEST);
  const counters = new HostCounters(vm, (frame) => guest_stats.carries(frame));
  const panel = new RatePanel(document.getElementById("panel")!, [() => counters.snapshot(), () => guest_stats.totals]);
  vm.emulator.run();
  status.textContent = "running";
  expose_test_hook({
    serial: { term: serial, type: type_serial },
    telnet: { term: telnet, type: (data) => telnet_terminal.session.send(data) },
    panel: () => ({ totals: Object.fromEntries(panel.totals), rates: Object.fromEntries(panel.rates) }),
  });
}

main().catch((error) => {
  document.getElementById("status")!.textContent = `failed: ${error}`;
  throw error;
});
