// The table of numbers: after every sampling round, each figure's rate (per
// second) and running total. One IRQ line or one thread is a detail row,
// shown indented under the totals it belongs to.
import { CPU_MS_PREFIX } from "./guest_stats_parse";
import type { Sampler } from "./sampler";

function is_detail(name: string): boolean {
  return /^(guest )?IRQ \d/.test(name) || name.startsWith(CPU_MS_PREFIX);
}

export class RatePanel {
  /**
   * `label` gives a row's name as shown (say, an IRQ line with the guest's
   * name for its handler); the sampler's names stay the keys.
   */
  constructor(
    private readonly element: HTMLElement,
    private readonly sampler: Sampler,
    private readonly label: (name: string) => string,
  ) {
    sampler.on_sample.push(() => this.render());
  }

  private render(): void {
    const table = document.createElement("table");
    table
      .createTHead()
      .insertRow()
      .append(...["", "/s", "total"].map((text) => cell("th", text)));
    const body = table.createTBody();
    for (const [name, total] of this.sampler.totals) {
      const rate = this.sampler.rates.get(name);
      const row = body.insertRow();
      if (is_detail(name)) row.className = "detail";
      row.append(
        cell("th", this.label(name)),
        cell("td", rate === undefined ? "" : Math.round(rate).toString()),
        cell("td", total.toString()),
      );
    }
    this.element.replaceChildren(table);
  }
}

function cell(tag: "th" | "td", text: string): HTMLElement {
  const element = document.createElement(tag);
  element.textContent = text;
  return element;
}
