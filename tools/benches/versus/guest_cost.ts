// guest-cost: guest instructions per received packet, all of them (NIC
// driver, NAPI, stack, socket, whatever the guest ran meanwhile), at light
// load and at saturation, from the rx-curve's floods. The split by stage is
// the guest's to give: a profile's stage_split command prints instructions
// per packet by stage since it last ran; it runs before and after a light
// flood. No guest has one yet (napkin is to), and then `stages` is null.
import { Guest } from "./guest";
import { NicMode } from "./guest_profile";
import { LIGHT_PPS, RxCurve, flood_point } from "./rx_curve";
import { guest_mac } from "./udp_flood";

export interface GuestCost {
  mode: NicMode;
  light_instructions_per_packet: number;
  saturated_instructions_per_packet: number;
  stages: Record<string, number> | null;
}

export async function guest_cost(guest: Guest, curve: RxCurve, flood_ms: number): Promise<GuestCost> {
  let stages: Record<string, number> | null = null;
  const split = guest.profile.stage_split;
  if (split) {
    await guest.shell.run(split.command);
    await flood_point(guest, await guest_mac(guest), LIGHT_PPS, flood_ms);
    stages = split.parse(await guest.shell.run(split.command));
  }
  return {
    mode: curve.mode,
    light_instructions_per_packet: curve.points[0].instructions_per_packet,
    saturated_instructions_per_packet: curve.saturation.instructions_per_packet,
    stages,
  };
}
