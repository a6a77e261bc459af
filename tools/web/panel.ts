// The live panel: every second it samples running totals from its sources
// and shows each as a rate (per second over the last interval) and a total.
// A source is anything that returns named totals; the host's counters are
// one, figures fetched from the guest can be another.
export type TotalsSource = () => Map<string, number>;

export class RatePanel {
  private last_at = performance.now();
  /** What is shown, by name, for tests and curious consoles. */
  totals = new Map<string, number>();
  rates = new Map<string, number>();

  constructor(private readonly element: HTMLElement, private readonly sources: TotalsSource[], interval_ms = 1000) {
    setInterval(() => this.refresh(), interval_ms);
  }

  private refresh(): void {
    const now = performance.now();
    const seconds = (now - this.last_at) / 1000;
    const totals = new Map<string, number>();
    for (const source of this.sources) for (const [name, value] of source()) totals.set(name, value);
    this.rates = new Map([...totals].map(([name, value]) => [name, (value - (this.totals.get(name) ?? 0)) / seconds]));
    this.totals = totals;
    this.last_at = now;
    this.render();
  }

  private render(): void {
    const table = document.createElement("table");
    table.createTHead().insertRow().append(...["", "/s", "total"].map((text) => cell("th", text)));
    const body = table.createTBody();
    for (const [name, total] of this.totals) {
      body.insertRow().append(cell("th", name), cell("td", Math.round(this.rates.get(name) ?? 0).toString()), cell("td", total.toString()));
    }
    this.element.replaceChildren(table);
  }
}

function cell(tag: "th" | "td", text: string): HTMLElement {
  const element = document.createElement(tag);
  element.textContent = text;
  return element;
}
