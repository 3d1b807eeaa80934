import type { TurnMetric } from '../protocol/metrics.ts';
import { retryDelay } from '../lib/retry.ts';
import type { MetricsQueue } from './metrics-queue.ts';
import { type BeaconLike, type FetchLike, UNLOAD_BODY_LIMIT, batchBody, byteLength, postBatch } from './metrics-transport.ts';

export interface Timers {
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface MetricsSenderOptions {
  endpoint: string;
  queue: MetricsQueue;
  fetch: FetchLike | undefined;
  sendBeacon: BeaconLike | undefined;
  /** The user's "share anonymous latency measurements" setting, read at each step. */
  enabled(): boolean;
  /** `navigator.onLine`: false means certainly offline, true only maybe online. */
  online(): boolean;
  /** How long a turn waits for others to share its request. */
  flushDelayMs?: number;
  batchSize?: number;
  /** Batches sent back to back in one flush before giving the page a break. */
  maxBatchesPerFlush?: number;
  retryBaseMs?: number;
  retryMaxMs?: number;
  timers?: Timers;
  now?: () => number;
  random?: () => number;
}

const defaultTimers: Timers = {
  setTimeout: (run, ms) => globalThis.setTimeout(run, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/**
 * Sends queued turn metrics to the relay: batched on a timer, retried with backoff while the
 * relay cannot be reached, resumed when the browser is back online, and pushed out with a
 * keepalive request (or a beacon) when the page is hidden. A turn leaves the queue only once
 * the relay has answered for it; anything sent twice (a lost answer, a beacon, two tabs) is
 * stored once because the relay ignores turn ids it already has.
 */
export class MetricsSender {
  private readonly flushDelayMs: number;
  private readonly batchSize: number;
  private readonly maxBatches: number;
  private readonly retryBaseMs: number;
  private readonly retryMaxMs: number;
  private readonly timers: Timers;
  private readonly now: () => number;
  private readonly random: () => number;
  private timer: unknown;
  private dueAt = Infinity;
  private failures = 0;
  private inFlight: Promise<void> | undefined;
  private lastUnloadFlush = -Infinity;

  constructor(private readonly options: MetricsSenderOptions) {
    this.flushDelayMs = options.flushDelayMs ?? 15_000;
    this.batchSize = options.batchSize ?? 50;
    this.maxBatches = options.maxBatchesPerFlush ?? 5;
    this.retryBaseMs = options.retryBaseMs ?? 2_000;
    this.retryMaxMs = options.retryMaxMs ?? 5 * 60_000;
    this.timers = options.timers ?? defaultTimers;
    this.now = options.now ?? (() => Date.now());
    this.random = options.random ?? Math.random;
  }

  /** Sends whatever an earlier page left queued. */
  start(): void {
    if (!this.options.enabled()) this.options.queue.clear();
    else if (this.options.queue.size() > 0) this.schedule(0);
  }

  enqueue(metric: TurnMetric): void {
    if (!this.options.enabled()) return;
    this.options.queue.add([metric]);
    if (this.options.queue.size() >= this.batchSize) this.schedule(0);
    else this.schedule(this.flushDelayMs);
  }

  /** Sends queued turns now, batch after batch, until the queue is empty or the relay fails. */
  flush(): Promise<void> {
    this.inFlight ??= this.sendQueued().finally(() => (this.inFlight = undefined));
    return this.inFlight;
  }

  /** Back online: whatever backoff we were in was about the network, not the relay. */
  online(): void {
    this.failures = 0;
    void this.flush();
  }

  /**
   * The page is being hidden and may never run again: send what fits in one keepalive request
   * (or beacon). The turns stay queued until an answer arrives, so if the page dies first they
   * go again next time and the relay counts them as duplicates.
   */
  flushOnUnload(): void {
    // visibilitychange and pagehide both fire when a tab closes: one request is enough.
    if (this.now() - this.lastUnloadFlush < 1_000) return;
    if (!this.options.enabled() || !this.options.online()) return;
    const body = this.unloadBody();
    if (body === undefined) return;
    this.lastUnloadFlush = this.now();
    const { fetch: fetchImpl, sendBeacon, endpoint } = this.options;
    if (!fetchImpl) {
      sendBeacon?.(endpoint, body.text);
      return;
    }
    // keepalive first: unlike a beacon it brings an answer back while the page lives on (a tab
    // in the background), and the turns can leave the queue.
    void postBatch(fetchImpl, endpoint, body.text, true).then((delivery) => {
      if (delivery.kind !== 'retry') this.options.queue.remove(body.turnIds);
      // Refused before it left (the keepalive budget, an old browser): a beacon may still go.
      else if (delivery.status === undefined) sendBeacon?.(endpoint, body.text);
    });
  }

  /** The user opted out: forget what was waiting and stop. */
  disable(): void {
    this.cancelTimer();
    this.options.queue.clear();
  }

  dispose(): void {
    this.cancelTimer();
  }

  private async sendQueued(): Promise<void> {
    this.cancelTimer();
    const { queue, fetch: fetchImpl, endpoint } = this.options;
    if (!this.options.enabled()) {
      queue.clear();
      return;
    }
    if (!fetchImpl) return;
    // Certainly offline: wait for the `online` event, with a slow poll in case it never comes.
    if (!this.options.online()) {
      if (queue.size() > 0) this.schedule(this.retryMaxMs);
      return;
    }
    for (let sent = 0; sent < this.maxBatches; sent++) {
      const batch = queue.peek(this.batchSize);
      if (batch.length === 0) return;
      const delivery = await postBatch(fetchImpl, endpoint, batchBody(batch));
      if (delivery.kind === 'retry') {
        this.failures++;
        this.schedule(this.backoffMs(delivery.retryAfterMs));
        return;
      }
      this.failures = 0;
      queue.remove(batch.map((t) => t.turnId));
    }
    if (queue.size() > 0) this.schedule(1_000);
  }

  /** The oldest turns whose batch fits the unload budget. */
  private unloadBody(): { text: string; turnIds: string[] } | undefined {
    let batch = this.options.queue.peek(this.batchSize);
    while (batch.length > 0) {
      const text = batchBody(batch);
      if (byteLength(text) <= UNLOAD_BODY_LIMIT) return { text, turnIds: batch.map((t) => t.turnId) };
      batch = batch.slice(0, Math.floor(batch.length / 2));
    }
    return undefined;
  }

  /** Exponential, capped, with jitter so that devices cut off together do not return together; never sooner than the relay asked. */
  private backoffMs(retryAfterMs: number | undefined): number {
    return retryDelay(this.failures, { baseMs: this.retryBaseMs, maxMs: this.retryMaxMs, jitter: 'equal', random: this.random }, retryAfterMs);
  }

  /** Flushes in `ms` unless a flush is already due sooner. */
  private schedule(ms: number): void {
    const due = this.now() + ms;
    if (this.timer !== undefined && this.dueAt <= due) return;
    this.cancelTimer();
    this.dueAt = due;
    this.timer = this.timers.setTimeout(() => {
      this.timer = undefined;
      this.dueAt = Infinity;
      void this.flush();
    }, ms);
  }

  private cancelTimer(): void {
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
    this.dueAt = Infinity;
  }
}
