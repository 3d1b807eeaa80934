import { describe, expect, it } from 'vitest';
import { MetricsQueue, QUEUE_KEY } from './metrics-queue.ts';
import { MemoryStorage } from './testing.ts';
import type { TurnMetric } from '../protocol/metrics.ts';

const metric = (n: number): TurnMetric => ({ turnId: `turn-${String(n).padStart(8, '0')}`, endedAt: new Date(0).toISOString(), source: 'text', durations: {} });

describe('MetricsQueue', () => {
  it('persists turns in storage, once per turn id, oldest first', () => {
    const storage = new MemoryStorage();
    const queue = new MetricsQueue(storage);
    queue.add([metric(1), metric(2)]);
    queue.add([metric(2), metric(3), metric(3)]);
    // A reload (or another tab) sees the same queue.
    const again = new MetricsQueue(storage);
    expect(again.peek(10).map((t) => t.turnId)).toEqual(['turn-00000001', 'turn-00000002', 'turn-00000003']);
    again.remove(['turn-00000001', 'turn-00000003']);
    expect(queue.peek(10).map((t) => t.turnId)).toEqual(['turn-00000002']);
    queue.remove(['turn-00000002']);
    expect(storage.items.has(QUEUE_KEY)).toBe(false);
  });

  it('keeps only the newest turns beyond its limit', () => {
    const queue = new MetricsQueue(new MemoryStorage(), QUEUE_KEY, 3);
    queue.add([1, 2, 3, 4, 5].map(metric));
    expect(queue.peek(10).map((t) => t.turnId)).toEqual(['turn-00000003', 'turn-00000004', 'turn-00000005']);
  });

  it('survives corrupt data and falls back to memory when storage fails', () => {
    const storage = new MemoryStorage();
    storage.setItem(QUEUE_KEY, '{not json');
    const queue = new MetricsQueue(storage);
    expect(queue.size()).toBe(0);
    storage.setItem = () => {
      throw new DOMException('quota', 'QuotaExceededError');
    };
    queue.add([metric(1), metric(2)]);
    queue.add([metric(3)]);
    expect(queue.size()).toBe(3);
    queue.remove(['turn-00000001']);
    expect(queue.peek(1)[0]!.turnId).toBe('turn-00000002');
    expect(new MetricsQueue(undefined).size()).toBe(0);
  });
});
