// One run of one guest on one NIC configuration: boot it, then each case the
// plan asks for, in an order that leaves the cold figures cold (ping first).
// A case that fails is recorded with its error and the rest go on.
import { Guest, BootFigures } from "./guest";
import { GuestCost, guest_cost } from "./guest_cost";
import { GuestProfile, NicConfig, NicMode, nic_label } from "./guest_profile";
import { LoadLatency, load_latency } from "./load_latency";
import { PingFigures, ping } from "./ping";
import { Plan } from "./plan";
import { RxCurve, rx_curve } from "./rx_curve";
import { TcpFigures, tcp_rx, tcp_tx } from "./tcp_bulk";

export interface RunResult {
  guest: GuestProfile["name"];
  nic: string;
  run: number;
  boot: BootFigures;
  ping?: PingFigures;
  /** Each way twice: the first transfer after boot (cold), then the same again (warm, the one compared). */
  tcp_rx_cold?: TcpFigures;
  tcp_rx?: TcpFigures;
  tcp_tx_cold?: TcpFigures;
  tcp_tx?: TcpFigures;
  curves?: RxCurve[];
  cost?: GuestCost[];
  latency?: LoadLatency[];
  errors: string[];
}

function log(line: string): void {
  console.log(`  ${line}`);
}

const ANSWER_MS = 20_000;

/**
 * Runs the cases of one boot, each through attempt(): a case that fails is
 * recorded; then the shell must answer again within ANSWER_MS, or the guest
 * is taken for stuck and its remaining cases are skipped.
 */
class Attempts {
  private stuck = false;

  constructor(
    private readonly guest: Guest,
    private readonly result: RunResult,
  ) {}

  async attempt<T>(name: string, body: () => Promise<T>): Promise<T | undefined> {
    if (this.stuck) {
      this.result.errors.push(`${name}: skipped, the guest had stopped answering`);
      return undefined;
    }
    const t0 = performance.now();
    try {
      const value = await body();
      log(`${name}: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
      return value;
    } catch (e) {
      const message = `${name}: ${e instanceof Error ? e.message : String(e)}`;
      this.result.errors.push(message);
      log(`FAILED ${message.split("\n")[0]}`);
      this.stuck = !(await this.guest.shell.resync(ANSWER_MS).then(
        () => true,
        () => false,
      ));
      if (this.stuck) {
        this.result.errors.push(`${name}: afterwards the guest answered neither its serial console nor its NIC`);
        log("the guest stopped answering: skipping the rest of this boot");
      }
      return undefined;
    }
  }
}

export async function run_guest(profile: GuestProfile, config: NicConfig, plan: Plan, run: number): Promise<RunResult> {
  const guest = await Guest.boot(profile, config);
  const result: RunResult = { guest: profile.name, nic: nic_label(config), run, boot: guest.boot, errors: [] };
  log(
    `${profile.name} on ${result.nic}: booted in ${guest.boot.ms.toFixed(0)} ms from power-on (v86's setup before it: ${guest.boot.setup_ms.toFixed(0)} ms), ${(guest.boot.instructions / 1e6).toFixed(0)} M instructions`,
  );
  const attempts = new Attempts(guest, result);
  try {
    guest.link.per_turn = plan.per_turn;
    if (plan.cases.has("ping")) result.ping = await attempts.attempt("ping", () => ping(guest));
    if (plan.cases.has("tcp")) {
      // v86 runs code it has not seen many times far slower than code it has
      // (see ping's warm figures): the first transfer each way measures that
      // as much as the guest, so it is kept as the cold figure and the second
      // is the one compared.
      result.tcp_rx_cold = await attempts.attempt("tcp-rx cold", () => tcp_rx(guest));
      result.tcp_rx = await attempts.attempt("tcp-rx", () => tcp_rx(guest));
      result.tcp_tx_cold = await attempts.attempt("tcp-tx cold", () => tcp_tx(guest));
      result.tcp_tx = await attempts.attempt("tcp-tx", () => tcp_tx(guest));
    }
    if (plan.curve_nics.includes(result.nic) && (plan.cases.has("curve") || plan.cases.has("latency"))) {
      guest.link.per_turn = plan.flood_per_turn;
      const modes: NicMode[] = profile.mode_command ? ["napi", "interrupt"] : ["napi"];
      for (const mode of modes) {
        const curve = await attempts.attempt(`rx-curve ${mode}`, () => rx_curve(guest, mode, plan.flood_ms));
        if (!curve) continue;
        (result.curves ??= []).push(curve); // latency-under-load floods at its saturation
        const cost = await attempts.attempt(`guest-cost ${mode}`, () => guest_cost(guest, curve, plan.flood_ms));
        if (cost) (result.cost ??= []).push(cost);
        if (plan.cases.has("latency")) {
          const latency = await attempts.attempt(`latency ${mode}`, () => load_latency(guest, mode, curve.saturation.offered_pps));
          if (latency) (result.latency ??= []).push(latency);
        }
      }
    }
  } finally {
    await guest.stop();
  }
  return result;
}
