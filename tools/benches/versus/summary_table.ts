// The Markdown table of the comparison: each row a measurement, napkin's and
// Linux's medians with the runs' spread, and their ratio.
import { Figures } from "./aggregate";
import { nic_label } from "./guest_profile";
import { Plan } from "./plan";
import { Figure } from "./stats";

interface Row {
  label: string;
  /** The metric on napkin and on Linux (they differ where napkin's interrupt mode meets Linux's NAPI). */
  napkin: string;
  linux: string;
  /** Whether more is better, shown next to the ratio. */
  higher_is_better: boolean;
}

function format(v: number): string {
  if (!Number.isFinite(v)) return "–";
  const abs = Math.abs(v);
  if (abs >= 1e6) return `${(v / 1e6).toFixed(abs >= 1e8 ? 0 : 1)} M`;
  if (abs >= 1e4) return `${(v / 1e3).toFixed(abs >= 1e5 ? 0 : 1)} k`;
  if (abs >= 100) return v.toFixed(0);
  if (abs >= 10) return v.toFixed(1);
  return v.toFixed(abs >= 1 || v === 0 ? 2 : 3);
}

function cell(f: Figure | undefined): string {
  if (!f || f.runs.length === 0) return "–";
  if (f.runs.length === 1 || f.min === f.max) return format(f.median);
  return `${format(f.median)} <sub>${format(f.min)}–${format(f.max)}</sub>`;
}

function ratio(a: Figure | undefined, b: Figure | undefined, higher_is_better: boolean): string {
  if (!a || !b || !(b.median !== 0) || !Number.isFinite(a.median) || !Number.isFinite(b.median)) return "–";
  const r = a.median / b.median;
  return `${r >= 100 ? r.toFixed(0) : r >= 10 ? r.toFixed(1) : r.toFixed(2)}× ${higher_is_better ? "↑" : "↓"}`;
}

function rows(plan: Plan): Row[] {
  const both = (label: string, key: string, higher_is_better = false): Row => ({ label, napkin: key, linux: key, higher_is_better });
  const first = nic_label(plan.nics[0]);
  const out: Row[] = [
    both(`boot to prompt from power-on, ms (${first})`, `${first}/boot/ms`),
    both("v86's setup before power-on, ms (not the guest's)", `${first}/boot/setup_ms`),
    both("boot, guest instructions", `${first}/boot/instructions`),
    both(`ping RTT p50, cold: the first 5 after boot, ms (${first})`, `${first}/ping/cold/p50_ms`),
    both("ping RTT p50 after 5 warm-up, ms", `${first}/ping/after_warmup/p50_ms`),
    both("ping RTT p99 after 5 warm-up, ms", `${first}/ping/after_warmup/p99_ms`),
    both("ping RTT p50 warm (after 2200), ms", `${first}/ping/warm/p50_ms`),
    both("ping RTT p99 warm, ms", `${first}/ping/warm/p99_ms`),
    both("guest instructions per ping, warm", `${first}/ping/warm/instructions`),
  ];
  for (const nic of plan.nics.map(nic_label)) {
    out.push(
      both(`tcp-rx 4 MiB, MiB/s, warm: the second transfer (${nic})`, `${nic}/tcp-rx/mib_per_s`, true),
      both(`tcp-rx 4 MiB, MiB/s, cold: the first after boot (${nic})`, `${nic}/tcp-rx-cold/mib_per_s`, true),
      both(`tcp-tx 4 MiB, MiB/s, warm: the second transfer (${nic})`, `${nic}/tcp-tx/mib_per_s`, true),
      both(`tcp-tx 4 MiB, MiB/s, cold: the first after boot (${nic})`, `${nic}/tcp-tx-cold/mib_per_s`, true),
      both(`tcp-rx RTOs of the host's socket, warm (${nic})`, `${nic}/tcp-rx/rtos`),
      both(`tcp-rx RTOs of the host's socket, cold (${nic})`, `${nic}/tcp-rx-cold/rtos`),
      both(`tcp-rx guest instructions per MiB (${nic})`, `${nic}/tcp-rx/instructions_per_mib`),
      both(`tcp-tx guest instructions per MiB (${nic})`, `${nic}/tcp-tx/instructions_per_mib`),
    );
  }
  for (const nic of plan.curve_nics) {
    for (const mode of ["napi", "interrupt"] as const) {
      const row = (label: string, key: string, higher_is_better = false): Row => ({
        label: `${label} (${nic}, napkin ${mode === "napi" ? "NAPI" : "interrupt mode"})`,
        napkin: `${nic}/${key.replace("MODE", mode)}`,
        linux: `${nic}/${key.replace("MODE", "napi")}`,
        higher_is_better,
      });
      out.push(
        row("rx saturation, delivered packets/s", "curve/MODE/saturation_pps", true),
        row("delivered packets/s at the highest load offered", "curve/MODE/overload_delivered_pps", true),
        row("IRQs per packet at saturation", "curve/MODE/irqs_per_packet"),
        row("time_squeeze during the saturating flood", "curve/MODE/time_squeeze"),
        row("guest instructions per received packet, 250/s", "cost/MODE/light"),
        row("guest instructions per received packet, saturated", "cost/MODE/saturated"),
        row("telnet echo p50 idle, ms", "latency/MODE/telnet_idle/p50_ms"),
        row("telnet echo p50 flooded, ms", "latency/MODE/telnet_flooded/p50_ms"),
        row("telnet echo p99 flooded, ms", "latency/MODE/telnet_flooded/p99_ms"),
        row("serial echo p50 flooded, ms", "latency/MODE/serial_flooded/p50_ms"),
        row("netns_poll lateness p99 since boot, µs", "latency/MODE/netns_poll/p99_us"),
      );
    }
  }
  return out;
}

export function summary_table(figures: Figures, plan: Plan): string {
  const napkin = figures.napkin ?? {};
  const linux = figures.linux ?? {};
  const lines = ["| measurement | napkin | Linux | napkin ÷ Linux |", "|---|---:|---:|---:|"];
  for (const row of rows(plan)) {
    const a = napkin[row.napkin];
    const b = linux[row.linux];
    if (!a?.runs.length && !b?.runs.length) continue;
    lines.push(`| ${row.label} | ${cell(a)} | ${cell(b)} | ${ratio(a, b, row.higher_is_better)} |`);
  }
  return lines.join("\n") + "\n";
}
