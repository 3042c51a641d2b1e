/** A progress line on stderr: a bar on a terminal, a line every 10% otherwise (CI logs stay short). */
export class Progress {
  private done = 0;
  private lastDecile = -1;
  private readonly started = Date.now();
  private readonly tty = process.stderr.isTTY;

  constructor(
    private readonly label: string,
    private readonly total: number | null,
  ) {}

  /** Adds `n` to the count and redraws. */
  tick(n = 1): void {
    this.done += n;
    this.render();
  }

  /** Ends the line with the elapsed time. */
  finish(summary?: string): void {
    const seconds = ((Date.now() - this.started) / 1000).toFixed(1);
    const line = `${this.label}: ${this.done}${this.total !== null ? `/${this.total}` : ''} in ${seconds}s${summary ? ` — ${summary}` : ''}`;
    process.stderr.write(this.tty ? `\r\x1b[K${line}\n` : `${line}\n`);
  }

  private render(): void {
    const fraction = this.total ? Math.min(1, this.done / this.total) : null;
    const eta = fraction ? ` ETA ${this.eta(fraction)}` : '';
    if (this.tty) {
      const width = 30;
      const bar =
        fraction === null ? '' : `[${'#'.repeat(Math.round(fraction * width)).padEnd(width, '.')}] `;
      const pct = fraction === null ? '' : ` ${Math.floor(fraction * 100)}%`;
      process.stderr.write(
        `\r\x1b[K${this.label} ${bar}${this.done}${this.total !== null ? `/${this.total}` : ''}${pct}${eta}`,
      );
      return;
    }
    const decile =
      fraction === null ? Math.floor(Math.log10(Math.max(1, this.done))) : Math.floor(fraction * 10);
    if (decile > this.lastDecile) {
      this.lastDecile = decile;
      process.stderr.write(
        `${this.label}: ${this.done}${this.total !== null ? `/${this.total}` : ''}${eta}\n`,
      );
    }
  }

  /** Time left at the rate so far, for a long run such as `backfill --full` over millions of rows. */
  private eta(fraction: number): string {
    const elapsed = Date.now() - this.started;
    const left = Math.round((elapsed / fraction - elapsed) / 1000);
    return left >= 3600
      ? `${Math.floor(left / 3600)}h${String(Math.floor((left % 3600) / 60)).padStart(2, '0')}m`
      : `${Math.floor(left / 60)}m${String(left % 60).padStart(2, '0')}s`;
  }
}
