// What one invocation of the comparison runs, from its command line.
import path from "path";
import { NicConfig, nic_label } from "./guest_profile";

export type CaseName = "ping" | "tcp" | "curve" | "latency";
export type GuestName = "napkin" | "linux";

export interface Plan {
  runs: number;
  guests: GuestName[];
  /** Each run boots each guest once per NIC configuration; boot, ping and tcp run on all of them. */
  nics: NicConfig[];
  /** The configurations (labels) on which the rx-curve, guest-cost and latency-under-load run. */
  curve_nics: string[];
  cases: Set<CaseName>;
  flood_ms: number;
  /** Frames per event-loop turn for everything but the UDP floods. */
  per_turn: number;
  /** Frames per turn for the floods: under both NICs' receive rings (an NE2000 ring holds 57 small frames). */
  flood_per_turn: number;
  image: string | undefined;
  out_dir: string;
  /** Also write the figures the README shows to docs/bench/. */
  docs: boolean;
  /** Give the emulator's thread a CPU of its own (see own_cpu.ts). */
  own_cpu: boolean;
}

export const USAGE = `usage: tools/bench versus [options]
  --runs N              runs of everything, each figure the median (default 3)
  --guests LIST         napkin,linux (default both)
  --nics LIST           ne2k,virtio,virtio-mtu65520 (default all three)
  --curve-nics LIST     where the rx-curve and latency-under-load run (default ne2k,virtio)
  --cases LIST          ping,tcp,curve,latency (default all; boot always)
  --flood-ms MS         length of each flood of the rx-curve (default 1000)
  --flood-per-turn N    frames injected per event-loop turn during floods (default 32)
  --image FILE          napkin image (default images/napkin.elf)
  --out DIR             results folder (default bench-results/<timestamp>)
  --docs                also write the plots and the table to docs/bench/
  --own-cpu             the emulator's thread alone on one CPU, V8's workers on the others`;

const ROOT = path.join(__dirname, "..", "..", "..");

function parse_nic(label: string): NicConfig {
  const m = /^(ne2k|virtio)(?:-mtu(\d+))?$/.exec(label);
  if (!m) throw new Error(`unknown NIC configuration '${label}'`);
  return { nic: m[1] as NicConfig["nic"], mtu: m[2] ? Number(m[2]) : 1500 };
}

function list<T extends string>(value: string, allowed: readonly T[], what: string): T[] {
  const items = value.split(",").filter(Boolean);
  for (const item of items) if (!allowed.includes(item as T)) throw new Error(`unknown ${what} '${item}'`);
  return items as T[];
}

export function parse_plan(argv: string[]): Plan {
  const stamp = new Date()
    .toISOString()
    .replace(/[:.]/g, "-")
    .replace(/-\d+Z$/, "Z");
  const plan: Plan = {
    runs: 3,
    guests: ["napkin", "linux"],
    nics: ["ne2k", "virtio", "virtio-mtu65520"].map(parse_nic),
    curve_nics: ["ne2k", "virtio"],
    cases: new Set<CaseName>(["ping", "tcp", "curve", "latency"]),
    flood_ms: 1000,
    per_turn: 8,
    flood_per_turn: 32,
    image: undefined,
    out_dir: path.join(ROOT, "bench-results", stamp),
    docs: false,
    own_cpu: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case "--runs":
        plan.runs = Number(value());
        break;
      case "--guests":
        plan.guests = list(value(), ["napkin", "linux"] as const, "guest");
        break;
      case "--nics":
        plan.nics = value().split(",").map(parse_nic);
        break;
      case "--curve-nics":
        plan.curve_nics = value()
          .split(",")
          .map((l) => nic_label(parse_nic(l)));
        break;
      case "--cases":
        plan.cases = new Set(list(value(), ["ping", "tcp", "curve", "latency"] as const, "case"));
        break;
      case "--flood-ms":
        plan.flood_ms = Number(value());
        break;
      case "--flood-per-turn":
        plan.flood_per_turn = Number(value());
        break;
      case "--image":
        plan.image = path.resolve(value());
        break;
      case "--out":
        plan.out_dir = path.resolve(value());
        break;
      case "--docs":
        plan.docs = true;
        break;
      case "--own-cpu":
        plan.own_cpu = true;
        break;
      default:
        throw new Error(`unknown option '${flag}'\n${USAGE}`);
    }
  }
  if (!(plan.runs >= 1) || !(plan.flood_ms > 0) || !(plan.flood_per_turn >= 1)) throw new Error(USAGE);
  return plan;
}
