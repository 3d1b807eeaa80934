/**
 * Download speed and time remaining from byte counts over time. A smoothed rate (exponential
 * moving average over samples at least `minIntervalMs` apart) keeps the estimate from jumping
 * with every chunk, while still following a connection that speeds up or slows down.
 */
export class TransferRate {
  private lastAt: number | undefined;
  private lastBytes = 0;
  private rate: number | undefined;

  constructor(
    private readonly smoothing = 0.3,
    private readonly minIntervalMs = 250,
  ) {}

  /** Records that `bytes` (cumulative) had arrived at `at` (ms). */
  sample(bytes: number, at: number): void {
    if (this.lastAt === undefined) {
      this.lastAt = at;
      this.lastBytes = bytes;
      return;
    }
    const elapsed = at - this.lastAt;
    if (elapsed < this.minIntervalMs) return;
    const instant = ((bytes - this.lastBytes) / elapsed) * 1000;
    this.rate = this.rate === undefined ? instant : this.rate + this.smoothing * (instant - this.rate);
    this.lastAt = at;
    this.lastBytes = bytes;
  }

  /** Bytes per second, once two samples are far enough apart. */
  get bytesPerSecond(): number | undefined {
    return this.rate;
  }

  /** Seconds until `total` at the current rate (undefined until a rate is known). */
  secondsLeft(loaded: number, total: number): number | undefined {
    if (!this.rate || this.rate <= 0) return undefined;
    return Math.max(0, (total - loaded) / this.rate);
  }
}

/** `about 3 min left`, `about 40 s left`, `a few seconds left`. */
export function formatTimeLeft(seconds: number | undefined): string {
  if (seconds === undefined) return 'estimating time left';
  if (seconds < 5) return 'a few seconds left';
  if (seconds < 90) return `about ${Math.round(seconds)} s left`;
  if (seconds < 90 * 60) return `about ${Math.round(seconds / 60)} min left`;
  return `about ${(seconds / 3600).toFixed(1)} h left`;
}
