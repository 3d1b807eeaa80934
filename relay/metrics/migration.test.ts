import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MetricsSummarySchema } from '../../src/protocol/metrics.ts';
import { loadMigrations, migrate, MIGRATIONS_DIR } from '../store/migrate.ts';
import { openPglite } from '../store/pglite.ts';
import { dropSchema, openPostgres } from '../store/postgres.ts';
import { testDatabaseUrl } from '../store/testing.ts';
import type { Db } from '../store/types.ts';
import { metricsSummary } from './summary.ts';

// Migration 004: rows stored before voice to voice was measured from the last speech frame keep
// their meaning under `voiceToVoiceFromSpeechEnd`; the summary's `voiceToVoice` is the new one only.

const BEFORE = 4;

/** A folder with the migrations before 004, to build a database as an older relay left it. */
function olderMigrations(): string {
  const dir = mkdtempSync(join(tmpdir(), 'relay-mig-004-'));
  for (const m of loadMigrations()) if (m.version < BEFORE) copyFileSync(join(MIGRATIONS_DIR, m.name), join(dir, m.name));
  return dir;
}

const pgUrl = testDatabaseUrl();
const kinds: { kind: string; skip: boolean; open: () => Promise<{ db: Db; cleanup: () => Promise<void> }> }[] = [
  { kind: 'pglite', skip: false, open: async () => { const db = await openPglite(); return { db, cleanup: () => db.close() }; } },
  {
    kind: 'postgres',
    skip: !pgUrl,
    open: async () => {
      const schema = `relay_test_${randomBytes(6).toString('hex')}`;
      const db = await openPostgres({ connectionString: pgUrl!, schema, max: 2 });
      return { db, cleanup: async () => { await db.close(); await dropSchema(pgUrl!, schema); } };
    },
  },
];

describe.each(kinds)('migration 004 on $kind', ({ skip, open }) => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it.skipIf(skip)('moves the old voice to voice aside and marks the old turns', async () => {
    const { db, cleanup } = await open();
    try {
      const dir = olderMigrations();
      dirs.push(dir);
      await migrate(db, dir);
      const endedAt = new Date(Date.now() - 60_000);
      await db.query(
        `insert into turn_metrics (turn_id, source, ended_at, received_at, llm_model, llm_backend) values ('old-turn-0001', 'voice', $1, $1, 'fixtures/chat-lm', 'wasm')`,
        [endedAt],
      );
      for (const [stage, value] of [['voiceToVoice', 600], ['endpointing', 300], ['asr', 120]] as const) {
        await db.query(
          `insert into turn_metric_values (turn_id, stage, value, model, backend, ended_at) values ('old-turn-0001', $1, $2, 'fixtures/chat-lm', 'wasm', $3)`,
          [stage, value, endedAt],
        );
      }

      expect(await migrate(db)).toEqual(loadMigrations().filter((m) => m.version >= BEFORE).map((m) => m.name));
      const { rows } = await db.query<{ stage: string; value: number }>(`select stage, value from turn_metric_values order by stage`);
      expect(rows).toEqual([
        { stage: 'asr', value: 120 },
        { stage: 'endpointing', value: 300 },
        { stage: 'voiceToVoiceFromSpeechEnd', value: 600 },
      ]);
      const turn = await db.query(`select timing_version, end_of_turn, eager_started from turn_metrics`);
      expect(turn.rows).toEqual([{ timing_version: 1, end_of_turn: null, eager_started: null }]);

      const summary = MetricsSummarySchema.parse(await metricsSummary(db, new Date(Date.now() - 3_600_000), new Date()));
      expect(summary.stages.map((s) => s.stage)).toEqual(['asr', 'endpointing', 'voiceToVoiceFromSpeechEnd']);
      expect(summary.distributions).toEqual([]);
      expect(summary.endOfTurn).toEqual([{ reason: 'unknown', turns: 1 }]);
    } finally {
      await cleanup();
    }
  });
});
