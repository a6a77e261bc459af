// rx-curve: delivered against offered packets per second for small UDP
// datagrams to the discard port, from light load to 4x saturation. The
// offered rates double from LIGHT_PPS; saturation is the most any rate got
// delivered, and the sweep goes on until it offers 4x that, or until the
// paced wire offers no more: v86 runs the guest and the host's event loop on
// one thread, so a busy guest lengthens the turns in which frames can be
// injected (the curve then says it is wire-limited). Counters are read over
// the serial shell before and after each flood, so a point's delivered count
// includes what was still in the NIC's ring when the flood stopped (at most
// one ring, small against a flood of seconds).
import { Guest } from "./guest";
import { NicMode } from "./guest_profile";
import { GuestCounters } from "./proc_counters";
import { UdpFlood, guest_mac } from "./udp_flood";

export const LIGHT_PPS = 250;
const MAX_POINTS = 11; // up to 256k packets/s
/** Points in a row that did not offer 10% more than the best before them: the wire takes no more. */
const FLAT_POINTS = 2;
const OVERLOAD = 4;

export interface CurvePoint {
  /** The rate asked for; the same grid for every guest and run. */
  target_pps: number;
  offered_pps: number;
  /** Taken by a socket (Udp InDatagrams), or received by the driver where the guest has no UDP counters. */
  delivered_pps: number;
  received_pps: number;
  irqs_per_packet: number;
  time_squeeze: number;
  instructions_per_packet: number;
}

export interface RxCurve {
  mode: NicMode;
  /** "udp_in_datagrams", or "rx_packets" where the guest has no /proc/net/snmp yet. */
  delivered_counter: "udp_in_datagrams" | "rx_packets";
  /** The point that delivered the most. */
  saturation: CurvePoint;
  /** The sweep ended before offering 4x saturation: the wire could offer no more. */
  wire_limited: boolean;
  points: CurvePoint[];
}

function delivered(c: GuestCounters): number {
  return c.udp_in_datagrams ?? c.rx_packets;
}

export async function flood_point(guest: Guest, mac: Uint8Array, rate_pps: number, flood_ms: number): Promise<CurvePoint> {
  const before = await guest.counters();
  const i0 = guest.instructions.total();
  const flood = new UdpFlood(guest, mac, rate_pps);
  flood.start();
  await new Promise((resolve) => setTimeout(resolve, flood_ms));
  const offered_pps = flood.stop();
  const after = await guest.counters();
  const instructions = guest.instructions.total() - i0;
  const seconds = flood_ms / 1000;
  const got = delivered(after) - delivered(before);
  const received = after.rx_packets - before.rx_packets;
  return {
    target_pps: rate_pps,
    offered_pps,
    delivered_pps: got / seconds,
    received_pps: received / seconds,
    irqs_per_packet: (after.nic_irqs - before.nic_irqs) / Math.max(1, received),
    time_squeeze: after.time_squeeze - before.time_squeeze,
    instructions_per_packet: instructions / Math.max(1, got),
  };
}

export async function rx_curve(guest: Guest, mode: NicMode, flood_ms: number): Promise<RxCurve> {
  if (guest.profile.mode_command) await guest.shell.run(guest.profile.mode_command(mode));
  const mac = await guest_mac(guest);
  const points: CurvePoint[] = [];
  let saturation: CurvePoint | null = null;
  let best_offered = 0;
  let flat = 0;
  let wire_limited = false;
  for (let i = 0; i < MAX_POINTS; i++) {
    const point = await flood_point(guest, mac, LIGHT_PPS * 2 ** i, flood_ms);
    points.push(point);
    if (!saturation || point.delivered_pps > saturation.delivered_pps) saturation = point;
    if (point.offered_pps >= OVERLOAD * saturation.delivered_pps) break;
    flat = point.offered_pps < 1.1 * best_offered ? flat + 1 : 0;
    best_offered = Math.max(best_offered, point.offered_pps);
    if (flat === FLAT_POINTS || i === MAX_POINTS - 1) {
      wire_limited = true;
      break;
    }
  }
  const counters = await guest.counters();
  return {
    mode,
    delivered_counter: counters.udp_in_datagrams === null ? "rx_packets" : "udp_in_datagrams",
    saturation: saturation!,
    wire_limited,
    points,
  };
}
