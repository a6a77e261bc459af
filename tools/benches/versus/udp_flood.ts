// A UDP flood at a steady offered rate: each turn of the host's event loop
// tops the paced link's queue up to what the rate says is due by now, never
// beyond one turn's worth (per_turn), so when the wire cannot take the rate
// the excess is simply not offered. `offered` counts frames that reached v86.
import { ipv4 } from "../../../net/wire/address";
import { Guest } from "./guest";
import { DISCARD_PORT, GUEST_ADDRESS, HOST_ADDRESS } from "./guest_profile";
import { UdpFlow, udp_frame } from "./udp_frame";

const HOST_MAC = Uint8Array.of(0x52, 0x54, 0x00, 0x12, 0x35, 0x02);

export async function guest_mac(guest: Guest): Promise<Uint8Array> {
  const out = await guest.shell.run("ip link show dev eth0");
  const m = /link\/ether ([0-9a-f:]{17})/.exec(out);
  if (!m) throw new Error(`no MAC address in:\n${out}`);
  return Uint8Array.from(m[1].split(":").map((h) => parseInt(h, 16)));
}

export class UdpFlood {
  private readonly flow: UdpFlow;
  private seq = 0;
  private due_from = 0;
  private generated = 0;
  private injected_at_start = 0;
  private started_at = 0;
  private running = false;

  constructor(
    private readonly guest: Guest,
    mac: Uint8Array,
    private readonly rate_pps: number,
  ) {
    this.flow = { dst_mac: mac, src_mac: HOST_MAC, src_ip: ipv4(HOST_ADDRESS), dst_ip: ipv4(GUEST_ADDRESS), dst_port: DISCARD_PORT };
  }

  start(): void {
    this.running = true;
    this.started_at = this.due_from = performance.now();
    this.injected_at_start = this.guest.link.injected;
    this.turn();
  }

  /** Stops offering; returns frames offered per second while it ran. */
  stop(): number {
    this.running = false;
    const offered = this.guest.link.injected - this.injected_at_start;
    return offered / ((performance.now() - this.started_at) / 1000);
  }

  private turn(): void {
    if (!this.running) return;
    const link = this.guest.link;
    const due = Math.floor(((performance.now() - this.due_from) / 1000) * this.rate_pps) - this.generated;
    const room = link.per_turn - link.queued;
    const n = Math.max(0, Math.min(due, room));
    for (let i = 0; i < n; i++) link.inject(udp_frame(this.flow, this.seq++));
    this.generated += n;
    if (due > room) {
      // Behind: forget what could not be offered rather than bursting later.
      this.generated = 0;
      this.due_from = performance.now();
    }
    setImmediate(() => this.turn());
  }
}
