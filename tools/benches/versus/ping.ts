// ping: ICMP echo from the host stack to the guest, one request at a time,
// the next sent as soon as the reply is in. Three figures: the first
// pings after boot (cold: nothing in v86's JIT or the guest's caches yet),
// 200 after 5 warm-up pings, and 200 after 2000 more (warm). Warm means
// past v86's JIT warm-up: v86 compiles a page of guest code once 200,000
// instructions have run in it, so the fewer instructions a ping costs, the
// more pings that takes. At 60k a ping, pages the ping path only passes
// through were still being compiled (stalls of 2-5 ms, the same guest
// instructions) between pings 1200 and 1650.
import { IcmpSocket } from "../../../net/socket/icmp";
import { ipv4 } from "../../../net/wire/address";
import { Guest } from "./guest";
import { GUEST_ADDRESS } from "./guest_profile";
import { percentile } from "./stats";

const PAYLOAD = new Uint8Array(56).fill(0x6e);
const REPLY_TIMEOUT_MS = 5000;
const IDENT = 0x4e4b;

export interface PingSeries {
  count: number;
  lost: number;
  p50_ms: number;
  p99_ms: number;
  instructions_per_ping: number;
}

export interface PingFigures {
  cold: PingSeries;
  after_warmup: PingSeries;
  warm: PingSeries;
}

export const PING_PLAN = { cold: 5, measured: 200, warming: 2000 };

async function series(guest: Guest, socket: IcmpSocket, count: number): Promise<PingSeries> {
  const rtts: number[] = [];
  let lost = 0;
  const reply = new Uint8Array(PAYLOAD.length);
  const i0 = guest.instructions.total();
  for (let seq = 0; seq < count; seq++) {
    while (socket.recv_echo(reply) >= 0) {} // a late reply to an earlier request
    const sent_at = performance.now();
    const answered = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), REPLY_TIMEOUT_MS);
      socket.on_state_change = () => {
        while (socket.recv_echo(reply) >= 0) {
          if (socket.last_seq_no !== seq) continue;
          clearTimeout(timer);
          resolve(true);
        }
      };
      socket.send_echo(ipv4(GUEST_ADDRESS), seq, PAYLOAD);
      guest.host.poll();
    });
    if (answered) rtts.push(performance.now() - sent_at);
    else lost++;
  }
  socket.on_state_change = null;
  return {
    count,
    lost,
    p50_ms: percentile(rtts, 50),
    p99_ms: percentile(rtts, 99),
    instructions_per_ping: (guest.instructions.total() - i0) / count,
  };
}

export async function ping(guest: Guest): Promise<PingFigures> {
  const socket = guest.host.sockets.add_icmp(new IcmpSocket());
  socket.bind(IDENT);
  try {
    const cold = await series(guest, socket, PING_PLAN.cold);
    const after_warmup = await series(guest, socket, PING_PLAN.measured);
    await series(guest, socket, PING_PLAN.warming);
    const warm = await series(guest, socket, PING_PLAN.measured);
    return { cold, after_warmup, warm };
  } finally {
    guest.host.sockets.remove_icmp(socket);
  }
}
