// The page's controls: eth0's receive mode, a UDP flood at a chosen rate,
// and a ping; each with what it is doing now.
import type { GuestStats } from "./guest_stats";
import type { Pinger } from "./pinger";
import { rx_mode_command, type RxMode } from "./rx_mode";
import type { Sampler } from "./sampler";
import { short_number } from "./svg_chart";
import { MAX_RATE, type UdpFlood } from "./udp_flood";

/** Packets/s: well past what napkin in v86 can echo, where interrupt mode collapses and NAPI holds. */
export const DEFAULT_FLOOD_RATE = 24_000;

export interface ControlParts {
  flood: UdpFlood;
  pinger: Pinger;
  guest: GuestStats;
  sampler: Sampler;
  /** Types into the serial console. */
  type_serial: (data: string) => void;
}

export class Controls {
  private readonly mode_buttons: HTMLButtonElement[];
  private readonly mode_status: HTMLElement;
  private readonly flood_button: HTMLButtonElement;
  private readonly flood_status: HTMLElement;
  private readonly rate: HTMLInputElement;
  private readonly ping_button: HTMLButtonElement;
  private readonly ping_status: HTMLElement;

  constructor(
    element: HTMLElement,
    private readonly parts: ControlParts,
  ) {
    this.mode_buttons = (["napi", "interrupt"] as RxMode[]).map((mode) =>
      button(`mode-${mode}`, mode === "napi" ? "NAPI" : "interrupt", () => parts.type_serial(rx_mode_command(mode))),
    );
    this.mode_status = status("mode-status");
    this.rate = document.createElement("input");
    Object.assign(this.rate, {
      id: "flood-rate",
      type: "number",
      min: "1",
      max: String(MAX_RATE),
      step: "500",
      value: String(DEFAULT_FLOOD_RATE),
    });
    this.rate.addEventListener("change", () => {
      if (parts.flood.rate > 0) parts.flood.start(this.flood_rate());
    });
    this.flood_button = button("flood-toggle", "start", () => this.toggle_flood());
    this.flood_status = status("flood-status");
    this.ping_button = button("ping-toggle", "start", () => this.toggle_ping());
    this.ping_status = status("ping-status");
    element.append(
      group("eth0 receive mode", ...this.mode_buttons, this.mode_status),
      group("UDP flood to 10.0.2.15:7", this.rate, " packets/s ", this.flood_button, this.flood_status),
      group("ping 10.0.2.15", this.ping_button, this.ping_status),
    );
    parts.sampler.on_sample.push(() => this.refresh());
    this.refresh();
  }

  private flood_rate(): number {
    const rate = Math.round(Number(this.rate.value));
    return Number.isFinite(rate) && rate > 0 ? rate : DEFAULT_FLOOD_RATE;
  }

  private toggle_flood(): void {
    const flood = this.parts.flood;
    if (flood.rate > 0) flood.stop();
    else flood.start(this.flood_rate());
    this.refresh();
  }

  private toggle_ping(): void {
    const pinger = this.parts.pinger;
    if (pinger.running) pinger.stop();
    else pinger.start();
    this.refresh();
  }

  private refresh(): void {
    const mode = this.parts.guest.latest.eth0_mode;
    this.mode_status.textContent = mode === null ? "the guest has not said yet" : `the guest says: ${mode}`;
    this.mode_status.dataset.mode = mode ?? "";
    for (const button of this.mode_buttons) button.classList.toggle("active", button.id === `mode-${mode}`);
    const flood = this.parts.flood;
    this.flood_button.textContent = flood.rate > 0 ? "stop" : "start";
    this.flood_button.classList.toggle("active", flood.rate > 0);
    // An echo ever back means a service listens; until then, say why nothing comes back.
    this.flood_status.textContent =
      flood.delivered === 0 && flood.refused > 0 ? "the guest answers: port 7 unreachable (no UDP echo service)" : "";
    const pinger = this.parts.pinger;
    this.ping_button.textContent = pinger.running ? "stop" : "start";
    this.ping_button.classList.toggle("active", pinger.running);
    const last = pinger.rtts[pinger.rtts.length - 1];
    this.ping_status.textContent =
      pinger.sent === 0 ? "" : `last RTT ${last ? short_number(last.value) : "–"} ms, lost ${pinger.lost} of ${pinger.sent}`;
  }
}

function button(id: string, text: string, on_click: () => void): HTMLButtonElement {
  const element = document.createElement("button");
  element.id = id;
  element.textContent = text;
  element.addEventListener("click", on_click);
  return element;
}

function status(id: string): HTMLElement {
  const element = document.createElement("span");
  element.id = id;
  element.className = "status";
  return element;
}

function group(legend: string, ...children: (Node | string)[]): HTMLFieldSetElement {
  const fieldset = document.createElement("fieldset");
  const caption = document.createElement("legend");
  caption.textContent = legend;
  fieldset.append(caption, ...children);
  return fieldset;
}
