import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfig } from '../config.ts';
import { storeKinds, type TestDatabase } from '../store/testing.ts';
import { handoffApp, loginAgent } from '../test-support/handoff-harness.ts';
import { DAY_MS, pruneTurnMetrics, startMetricsRetention } from './retention.ts';

// Issue 15 item 3: turn metrics older than the retention period are deleted in batches, with
// their stage values; the summary reads one bounded window through indexes that start with time.

/** `count` turns with three stage values each, ending `ageDays` ago (plus i seconds). */
async function insertTurns(db: TestDatabase['db'], prefix: string, count: number, ageDays: number): Promise<void> {
  await db.query(
    `with t as (
       select $1 || g as turn_id, now() - make_interval(days => $3::int) - make_interval(secs => g) as ended_at
       from generate_series(1, $2::int) g),
     i as (insert into turn_metrics (turn_id, source, ended_at, received_at, llm_model, llm_backend)
           select turn_id, 'voice', ended_at, ended_at, 'fixtures/chat-lm', 'wasm' from t)
     insert into turn_metric_values (turn_id, stage, value, model, backend, ended_at)
     select t.turn_id, s.stage, 500, 'fixtures/chat-lm', 'wasm', t.ended_at
     from t cross join (values ('voiceToVoice'), ('asr'), ('llmTtft')) as s(stage)`,
    [prefix, count, ageDays],
  );
}

const counts = async (db: TestDatabase['db']) => {
  const { rows } = await db.query<{ turns: number; values: number }>(
    'select (select count(*) from turn_metrics)::int as turns, (select count(*) from turn_metric_values)::int as values',
  );
  return rows[0]!;
};

describe('RELAY_METRICS_RETENTION_DAYS', () => {
  it('defaults to 90 days, accepts 0 (keep forever), refuses nonsense', () => {
    expect(readConfig({}).metricsRetentionDays).toBe(90);
    expect(readConfig({ RELAY_METRICS_RETENTION_DAYS: '0' }).metricsRetentionDays).toBe(0);
    expect(readConfig({ RELAY_METRICS_RETENTION_DAYS: '14' }).metricsRetentionDays).toBe(14);
    expect(() => readConfig({ RELAY_METRICS_RETENTION_DAYS: '-1' })).toThrow(/RELAY_METRICS_RETENTION_DAYS/);
    expect(() => readConfig({ RELAY_METRICS_RETENTION_DAYS: 'a week' })).toThrow(/RELAY_METRICS_RETENTION_DAYS/);
  });
});

describe.each(storeKinds())('turn metric retention on $kind', ({ skip, open }) => {
  let t: TestDatabase;
  beforeAll(async () => {
    if (!skip) t = await open();
  });
  afterAll(async () => t?.cleanup());

  it.skipIf(skip)('deletes turns older than the cut-off, with their values, in batches', async () => {
    await t.db.exec('delete from turn_metrics');
    await insertTurns(t.db, 'old-', 250, 40);
    await insertTurns(t.db, 'new-', 20, 1);
    expect(await counts(t.db)).toEqual({ turns: 270, values: 810 });
    const batches: number[] = [];
    const pruned = await pruneTurnMetrics(t.db, new Date(Date.now() - 30 * DAY_MS), { batchSize: 100, onBatch: (n) => batches.push(n) });
    expect(pruned).toBe(250);
    expect(batches).toEqual([100, 100, 50]);
    expect(await counts(t.db)).toEqual({ turns: 20, values: 60 });
    expect(await pruneTurnMetrics(t.db, new Date(Date.now() - 30 * DAY_MS))).toBe(0);
  });

  it.skipIf(skip)('runs on a timer, and not at all with a retention of 0', async () => {
    await t.db.exec('delete from turn_metrics');
    await insertTurns(t.db, 'old-', 30, 10);
    await insertTurns(t.db, 'new-', 5, 0);
    const off = startMetricsRetention({ db: t.db, maxAgeMs: 0, firstAfterMs: 0 });
    await new Promise((r) => setTimeout(r, 50));
    off();
    expect((await counts(t.db)).turns).toBe(35);

    let pruned = 0;
    const stop = startMetricsRetention({ db: t.db, maxAgeMs: 7 * DAY_MS, firstAfterMs: 0, intervalMs: 60_000, batchSize: 7, pauseMs: 0, onBatch: (n) => (pruned += n) });
    try {
      for (let i = 0; i < 200 && pruned < 30; i++) await new Promise((r) => setTimeout(r, 20));
    } finally {
      stop();
    }
    expect(pruned).toBe(30);
    expect((await counts(t.db)).turns).toBe(5);
  });

  it.skipIf(skip)('refuses summary windows longer than 31 days', async () => {
    const { app } = handoffApp(t.db);
    const agent = await loginAgent(app, t.db);
    expect((await agent.request('/api/v1/metrics/summary?from=2026-01-01T00:00:00Z&to=2026-01-31T00:00:00Z')).status).toBe(200);
    const long = await agent.request('/api/v1/metrics/summary?from=2026-01-01T00:00:00Z&to=2026-03-01T00:00:00Z');
    expect(long.status).toBe(400);
    expect(await long.json()).toMatchObject({ error: { code: 'invalid_query' } });
  });
});
