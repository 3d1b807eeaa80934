import type { Queryable } from '../store/types.ts';

// Turn metrics are kept for a retention period (RELAY_METRICS_RETENTION_DAYS), then deleted in
// batches by a timer in each relay process, so the tables stop growing and no delete holds
// locks on many rows at once. Several relays on one PostgreSQL may prune together: each batch
// skips the rows another is deleting (`for update skip locked`).

export const DAY_MS = 24 * 60 * 60 * 1000;
export const DEFAULT_PRUNE_BATCH = 2_000;

export interface PruneOptions {
  /** Turns (and, separately, stage values) per delete statement. */
  batchSize?: number;
  /** Pause between batches, so pruning a large backlog leaves room for ingestion. */
  pauseMs?: number;
  /** Stops between batches (the relay is shutting down). */
  signal?: AbortSignal;
  /** Told each batch's count as it is deleted. */
  onBatch?: (count: number) => void;
}

/**
 * Deletes turns that ended before `before`, batch by batch; returns how many. Their stage values
 * go first, by their own `ended_at` (the turn's, copied; no foreign key since migration 009).
 */
export async function pruneTurnMetrics(db: Queryable, before: Date, options: PruneOptions = {}): Promise<number> {
  const batchSize = options.batchSize ?? DEFAULT_PRUNE_BATCH;
  const pause = () => (options.pauseMs ? new Promise((resolve) => setTimeout(resolve, options.pauseMs)) : Promise.resolve());
  // About one turn's values per value row of a batch, times the stages a turn has at most.
  const valueBatch = batchSize * 10;
  for (;;) {
    const { rowCount } = await db.query(
      `delete from turn_metric_values where ctid = any(array(
         select ctid from turn_metric_values where ended_at < $1 limit $2 for update skip locked))`,
      [before, valueBatch],
    );
    if (rowCount < valueBatch || options.signal?.aborted) break;
    await pause();
  }
  let total = 0;
  for (;;) {
    if (options.signal?.aborted) return total;
    const { rowCount } = await db.query(
      `delete from turn_metrics where turn_id in (
         select turn_id from turn_metrics where ended_at < $1 order by ended_at limit $2 for update skip locked)`,
      [before, batchSize],
    );
    total += rowCount;
    if (rowCount > 0) options.onBatch?.(rowCount);
    if (rowCount < batchSize || options.signal?.aborted) return total;
    await pause();
  }
}

export interface RetentionOptions extends PruneOptions {
  db: Queryable;
  /** Turns older than this are deleted; 0 keeps them forever (no timer). */
  maxAgeMs: number;
  /** Time between prunes; the first runs `firstAfterMs` after start. */
  intervalMs?: number;
  firstAfterMs?: number;
  now?: () => Date;
  log?: (message: string, err?: unknown) => void;
}

/** Starts the pruning timer; returns the stop function. */
export function startMetricsRetention(options: RetentionOptions): () => void {
  if (options.maxAgeMs <= 0) return () => {};
  const now = options.now ?? (() => new Date());
  const stop = new AbortController();
  let running = false;
  const run = () => {
    if (running || stop.signal.aborted) return;
    running = true;
    const before = new Date(now().getTime() - options.maxAgeMs);
    pruneTurnMetrics(options.db, before, { batchSize: options.batchSize, pauseMs: options.pauseMs ?? 50, signal: stop.signal, onBatch: options.onBatch })
      .catch((err: unknown) => options.log?.('pruning old turn metrics failed', err))
      .finally(() => {
        running = false;
      });
  };
  const first = setTimeout(run, options.firstAfterMs ?? 10_000);
  const timer = setInterval(run, options.intervalMs ?? 60 * 60 * 1000);
  first.unref();
  timer.unref();
  return () => {
    stop.abort();
    clearTimeout(first);
    clearInterval(timer);
  };
}
