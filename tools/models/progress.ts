// Progress on stderr (stdout stays free for scripts). On a terminal one line per file is redrawn
// in place; in a log (CI, `| tee`) a line is printed now and then and when each file ends, so the
// log stays readable.

export interface ProgressSink {
  isTTY?: boolean;
  write(text: string): unknown;
}

const MB = 1024 * 1024;
const TTY_INTERVAL_MS = 200;
const LOG_INTERVAL_MS = 10_000;

export function formatMb(bytes: number): string {
  return `${(bytes / MB).toFixed(1)} MB`;
}

export class Progress {
  private label = '';
  private lastDraw = 0;

  constructor(private readonly out: ProgressSink = process.stderr) {}

  /** A line that is not about one file's bytes (listing a repo, a retry, the summary). */
  note(text: string): void {
    this.clearLine();
    this.out.write(`${text}\n`);
  }

  start(label: string): void {
    this.label = label;
    // A terminal shows the file at once; a log only gets a line for files slow enough to need one.
    this.lastDraw = this.out.isTTY ? 0 : Date.now();
  }

  update(received: number, total: number | null): void {
    const now = Date.now();
    if (now - this.lastDraw < (this.out.isTTY ? TTY_INTERVAL_MS : LOG_INTERVAL_MS)) return;
    this.lastDraw = now;
    const line = `${this.label}  ${formatMb(received)}${total ? ` / ${formatMb(total)}  ${Math.floor((received / total) * 100)}%` : ''}`;
    if (this.out.isTTY) this.out.write(`\r\x1b[K${line}`);
    else this.out.write(`${line}\n`);
  }

  /** The file's last line: `done`, `already there`, ... */
  finish(bytes: number, status: string): void {
    this.clearLine();
    this.out.write(`${this.label}  ${formatMb(bytes)}  ${status}\n`);
  }

  private clearLine(): void {
    if (this.out.isTTY) this.out.write('\r\x1b[K');
  }
}
