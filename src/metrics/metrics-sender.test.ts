import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MetricsBatchSchema, TurnMetricSchema } from '../protocol/metrics.ts';
import { MetricsQueue } from './metrics-queue.ts';
import { MetricsSender, type MetricsSenderOptions } from './metrics-sender.ts';
import { FakeRelay, MemoryStorage, sentBody, timingRecord } from './testing.ts';
import { toTurnMetric } from './turn-metric.ts';

const context = { wallClock: (mark: number) => new Date(Date.now() + mark), deviceClass: 'desktop-nowebgpu-mid', appVersion: '0.1.0' };
const metric = () => toTurnMetric(timingRecord(), context);

interface Harness {
  relay: FakeRelay;
  storage: MemoryStorage;
  sender: MetricsSender;
  state: { enabled: boolean; online: boolean };
  beacons: string[];
}

function harness(overrides: Partial<MetricsSenderOptions> = {}, storage = new MemoryStorage()): Harness {
  const relay = new FakeRelay();
  const state = { enabled: true, online: true };
  const beacons: string[] = [];
  const sender = new MetricsSender({
    endpoint: '/api/v1/metrics',
    queue: new MetricsQueue(storage),
    fetch: relay.fetch,
    sendBeacon: (_url, data) => beacons.push(data) > 0,
    enabled: () => state.enabled,
    online: () => state.online,
    random: () => 1,
    ...overrides,
  });
  return { relay, storage, sender, state, beacons };
}

const queued = (storage: MemoryStorage) => new MetricsQueue(storage).size();

describe('MetricsSender', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('batches turns and sends them together after the flush delay', async () => {
    const { relay, sender, storage } = harness();
    for (let i = 0; i < 3; i++) sender.enqueue(metric());
    await vi.advanceTimersByTimeAsync(14_000);
    expect(relay.requests).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(relay.requests).toHaveLength(1);
    expect(relay.requests[0]!.turns).toHaveLength(3);
    expect(relay.requests[0]!.init).toMatchObject({ method: 'POST', credentials: 'omit', headers: { 'Content-Type': 'application/json' } });
    expect(MetricsBatchSchema.parse(JSON.parse(sentBody(relay.requests[0]!.init)))).toBeTruthy();
    expect(relay.stored.size).toBe(3);
    expect(queued(storage)).toBe(0);
  });

  it('sends at once when a batch is full, in batches of at most batchSize', async () => {
    const { relay, sender } = harness({ batchSize: 10 });
    for (let i = 0; i < 10; i++) sender.enqueue(metric());
    await vi.advanceTimersByTimeAsync(0);
    expect(relay.requests.map((r) => r.turns.length)).toEqual([10]);
    for (let i = 0; i < 25; i++) sender.enqueue(metric());
    await vi.advanceTimersByTimeAsync(0);
    expect(relay.requests.map((r) => r.turns.length)).toEqual([10, 10, 10, 5]);
    expect(relay.stored.size).toBe(35);
  });

  it('sends a turn once even when it is enqueued twice', async () => {
    const { relay, sender } = harness();
    const m = metric();
    sender.enqueue(m);
    sender.enqueue({ ...m });
    await vi.advanceTimersByTimeAsync(15_000);
    expect(relay.requests.flatMap((r) => r.turns)).toHaveLength(1);
  });

  it('queues turns while offline and delivers them exactly once after reconnecting', async () => {
    const { relay, sender, storage, state } = harness();
    state.online = false;
    sender.enqueue(metric());
    sender.enqueue(metric());
    await vi.advanceTimersByTimeAsync(60_000);
    expect(relay.requests).toHaveLength(0);
    expect(queued(storage)).toBe(2);

    state.online = true;
    sender.online();
    await vi.advanceTimersByTimeAsync(0);
    expect(relay.stored.size).toBe(2);
    expect(queued(storage)).toBe(0);
    // Later flushes, reconnects and page hides send nothing more.
    sender.online();
    sender.flushOnUnload();
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    expect(relay.requests).toHaveLength(1);
    expect(relay.duplicates).toBe(0);
  });

  it('delivers turns a closed page left queued when the next page starts', async () => {
    const storage = new MemoryStorage();
    const first = harness({}, storage);
    first.state.online = false;
    first.sender.enqueue(metric());
    first.sender.dispose();

    const next = harness({}, storage);
    next.sender.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(next.relay.stored.size).toBe(1);
    expect(queued(storage)).toBe(0);
  });

  it('retries with growing backoff while the relay cannot be reached, then stores each turn once', async () => {
    const { relay, sender, storage } = harness({ retryBaseMs: 2_000 });
    relay.next.push('offline', 503, 'lost');
    sender.enqueue(metric());
    sender.enqueue(metric());
    await vi.advanceTimersByTimeAsync(15_000);
    expect(relay.requests).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1_999);
    expect(relay.requests).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(relay.requests).toHaveLength(2); // 503
    await vi.advanceTimersByTimeAsync(4_000);
    expect(relay.requests).toHaveLength(3); // stored, answer lost
    expect(queued(storage)).toBe(2);
    await vi.advanceTimersByTimeAsync(8_000);
    expect(relay.requests).toHaveLength(4); // the relay says: duplicates
    expect(relay.stored.size).toBe(2);
    expect(relay.duplicates).toBe(2);
    expect(queued(storage)).toBe(0);
  });

  it('honours Retry-After on 429 and gives up on a batch the relay refuses whole', async () => {
    const { relay, sender, storage } = harness();
    relay.next.push(429, 400);
    sender.enqueue(metric());
    await vi.advanceTimersByTimeAsync(15_000);
    expect(relay.requests).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(119_000);
    expect(relay.requests).toHaveLength(1); // Retry-After: 120
    await vi.advanceTimersByTimeAsync(1_000);
    expect(relay.requests).toHaveLength(2); // 400: refused whole
    expect(queued(storage)).toBe(0);
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    expect(relay.requests).toHaveLength(2);
  });

  it('sends nothing and keeps nothing when the user opted out', async () => {
    const { relay, sender, storage, state, beacons } = harness();
    sender.enqueue(metric());
    state.enabled = false;
    sender.disable();
    expect(queued(storage)).toBe(0);
    sender.enqueue(metric());
    sender.flushOnUnload();
    sender.online();
    await sender.flush();
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    expect(relay.requests).toHaveLength(0);
    expect(beacons).toHaveLength(0);
    expect(queued(storage)).toBe(0);
  });

  it('drops what an earlier page queued if sharing is now off', async () => {
    const storage = new MemoryStorage();
    new MetricsQueue(storage).add([metric()]);
    const { relay, sender, state } = harness({}, storage);
    state.enabled = false;
    sender.start();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(relay.requests).toHaveLength(0);
    expect(queued(storage)).toBe(0);
  });

  it('on page hide sends what fits in one keepalive request, once, and forgets it when answered', async () => {
    const { relay, sender, storage } = harness();
    for (let i = 0; i < 3; i++) sender.enqueue(metric());
    sender.flushOnUnload();
    sender.flushOnUnload(); // pagehide right after visibilitychange
    expect(relay.requests).toHaveLength(1);
    expect(relay.requests[0]!.init.keepalive).toBe(true);
    expect(sentBody(relay.requests[0]!.init).length).toBeLessThanOrEqual(60_000);
    await vi.advanceTimersByTimeAsync(0);
    expect(queued(storage)).toBe(0);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(relay.requests).toHaveLength(1);
  });

  it('falls back to a text beacon when there is no fetch, and keeps the turns until confirmed', async () => {
    const { sender, storage, beacons } = harness({ fetch: undefined });
    sender.enqueue(metric());
    sender.flushOnUnload();
    expect(beacons).toHaveLength(1);
    const body = MetricsBatchSchema.parse(JSON.parse(beacons[0]!));
    expect(TurnMetricSchema.strict().parse(body.turns[0])).toBeTruthy();
    expect(queued(storage)).toBe(1);
  });

  it('falls back to a beacon when the keepalive request cannot leave', async () => {
    const { relay, sender, beacons } = harness();
    relay.next.push('offline');
    sender.enqueue(metric());
    sender.flushOnUnload();
    await vi.advanceTimersByTimeAsync(0);
    expect(beacons).toHaveLength(1);
  });

  it('never sends text: every turn on the wire is exactly the protocol fields', async () => {
    const { relay, sender } = harness();
    const record = { ...timingRecord({ tokenTimes: [1, 2, 3] }), transcript: 'What is the capital of France?' };
    sender.enqueue(toTurnMetric(record, context));
    await vi.advanceTimersByTimeAsync(15_000);
    const wire = sentBody(relay.requests[0]!.init);
    expect(wire).not.toMatch(/France|transcript|tokenTimes/);
    for (const turn of relay.requests[0]!.turns) expect(TurnMetricSchema.strict().safeParse(turn).success).toBe(true);
  });
});
