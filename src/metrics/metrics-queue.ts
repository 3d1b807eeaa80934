import type { TurnMetric } from '../protocol/metrics.ts';

/** The slice of `localStorage` the queue needs (a fake in tests). */
export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export const QUEUE_KEY = 'hearth-metrics-queue';
/** A few days of heavy use offline; beyond that the oldest turns go first. */
export const QUEUE_LIMIT = 500;

interface Stored {
  v: 1;
  turns: TurnMetric[];
}

/**
 * Turns waiting to be sent, kept on the device so that they survive going offline, a reload or
 * a closed tab. Every operation reads, changes and writes the stored list in one synchronous
 * step, so tabs sharing the storage do not overwrite each other's turns (a turn both tabs send
 * is stored once: the relay ignores repeated turn ids). Without usable storage (private
 * browsing, quota) the queue lives in memory for the page's lifetime.
 */
export class MetricsQueue {
  private memory: TurnMetric[] = [];
  private storage: KeyValueStorage | undefined;

  constructor(
    storage: KeyValueStorage | undefined,
    private readonly key: string = QUEUE_KEY,
    private readonly limit: number = QUEUE_LIMIT,
  ) {
    this.storage = storage;
  }

  /** Adds turns not already queued; drops the oldest beyond the limit. */
  add(turns: readonly TurnMetric[]): void {
    this.update((queued) => {
      const ids = new Set(queued.map((t) => t.turnId));
      const fresh = turns.filter((t) => !ids.has(t.turnId) && ids.add(t.turnId));
      const all = [...queued, ...fresh];
      return all.slice(Math.max(0, all.length - this.limit));
    });
  }

  /** The oldest `count` turns, left in the queue until `remove` confirms them. */
  peek(count: number): TurnMetric[] {
    return this.read().slice(0, count);
  }

  remove(turnIds: Iterable<string>): void {
    const gone = new Set(turnIds);
    this.update((queued) => queued.filter((t) => !gone.has(t.turnId)));
  }

  clear(): void {
    this.memory = [];
    try {
      this.storage?.removeItem(this.key);
    } catch {
      // nothing stored, nothing to clear
    }
  }

  size(): number {
    return this.read().length;
  }

  private update(change: (queued: TurnMetric[]) => TurnMetric[]): void {
    const next = change(this.read());
    this.memory = next;
    if (!this.storage) return;
    try {
      if (next.length === 0) this.storage.removeItem(this.key);
      else this.storage.setItem(this.key, JSON.stringify({ v: 1, turns: next } satisfies Stored));
    } catch {
      // Quota, or a storage that refuses writes: from now on the in-memory copy is the queue.
      this.storage = undefined;
    }
  }

  private read(): TurnMetric[] {
    if (!this.storage) return this.memory;
    let raw: string | null;
    try {
      raw = this.storage.getItem(this.key);
    } catch {
      this.storage = undefined;
      return this.memory;
    }
    if (raw === null) return [];
    try {
      const stored = JSON.parse(raw) as Partial<Stored>;
      return stored.v === 1 && Array.isArray(stored.turns) ? stored.turns : [];
    } catch {
      return [];
    }
  }
}
