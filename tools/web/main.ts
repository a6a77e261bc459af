// The page: napkin booting in v86, its serial console in one terminal, a
// Telnet session over the in-page network in another, controls to flood
// the guest and switch eth0's receive mode, and charts and a table of what
// happens.
import "@xterm/xterm/css/xterm.css";
import "./style.css";
import { Terminal } from "@xterm/xterm";
import { UserNet, GUEST } from "../hostnet/user_net";
import { V86Link } from "../hostnet/v86_link";
import { create_napkin_vm } from "./boot_v86";
import { attach_serial } from "./serial_terminal";
import { HostCounters } from "./host_counters";
import { GuestStats } from "./guest_stats";
import { Sampler } from "./sampler";
import { RatePanel } from "./panel";
import { UdpFlood } from "./udp_flood";
import { EmulatorSlices } from "./emulator_slices";
import { Pinger } from "./pinger";
import { Controls } from "./controls";
import { NapiCharts } from "./napi_charts";
import { TelnetTerminal } from "./telnet_terminal";
import { expose_test_hook } from "./test_hook";

/** The page's network leases the guest its address; this one is the fallback should DHCP fail. */
const CMDLINE = "ip=10.0.2.15/24 gw=10.0.2.2";
/** Lines whose devices napkin drives without request_irq, so /proc/interrupts does not name them. */
const UNNAMED_IRQ_LINES: Record<string, string> = { 0: "timer" };

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
  const flood = new UdpFlood(net.host, GUEST, new EmulatorSlices(vm.emulator.v86));
  vm.bus.register("net0-send", (frame: Uint8Array) => flood.see_from_guest(frame), null);
  const pinger = new Pinger(net.host, GUEST);
  const sampler = new Sampler([() => counters.read(), () => flood.read(), () => guest_stats.read()]);
  new RatePanel(document.getElementById("panel")!, sampler, (name) => {
    const line = /^(?:guest )?IRQ (\d+)$/.exec(name);
    const owner = line ? (guest_stats.latest.irq_owners.get(Number(line[1])) ?? UNNAMED_IRQ_LINES[line[1]]) : undefined;
    return owner ? `${name} (${owner})` : name;
  });
  const charts = new NapiCharts(document.getElementById("charts")!, sampler, guest_stats, pinger);
  new Controls(document.getElementById("controls")!, { flood, pinger, guest: guest_stats, sampler, type_serial });
  sampler.start();
  vm.emulator.run();
  status.textContent = "running";
  expose_test_hook({
    serial: { term: serial, type: type_serial },
    telnet: { term: telnet, type: (data) => telnet_terminal.session.send(data) },
    panel: () => ({ totals: Object.fromEntries(sampler.totals), rates: Object.fromEntries(sampler.rates) }),
    charts: () => charts.chart_data(),
    flood: () => ({ offered: flood.offered, delivered: flood.delivered, refused: flood.refused }),
  });
}

main().catch((error) => {
  document.getElementById("status")!.textContent = `failed: ${error}`;
  throw error;
});
