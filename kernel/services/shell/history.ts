// Command history for up/down arrows: the last HISTORY_LINES distinct lines.
const HISTORY_LINES = 32;

export class History {
  private lines: string[] = [];
  /** Browsing position: lines.length means "the line being typed". */
  private cursor = 0;
  private draft = "";

  add(line: string): void {
    if (line !== "" && line !== this.lines[this.lines.length - 1]) {
      this.lines.push(line);
      if (this.lines.length > HISTORY_LINES) this.lines.shift();
    }
    this.cursor = this.lines.length;
    this.draft = "";
  }

  /** Older entry, or null at the oldest. `typed` is kept to come back to. */
  previous(typed: string): string | null {
    if (this.cursor === 0) return null;
    if (this.cursor === this.lines.length) this.draft = typed;
    return this.lines[--this.cursor];
  }

  /** Newer entry, the saved draft past the newest, or null if not browsing. */
  next(): string | null {
    if (this.cursor >= this.lines.length) return null;
    this.cursor++;
    return this.cursor === this.lines.length ? this.draft : this.lines[this.cursor];
  }
}
