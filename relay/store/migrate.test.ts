import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadMigrations, migrate } from './migrate.ts';
import { dropSchema, openPostgres } from './postgres.ts';
import { storeKinds, testDatabaseUrl, type TestDatabase } from './testing.ts';

describe.each(storeKinds())('migrations on $kind', ({ skip, open }) => {
  let t: TestDatabase;
  beforeAll(async () => {
    if (!skip) t = await open();
  });
  afterAll(async () => t?.cleanup());

  it.skipIf(skip)('applies every migration once and records it', async () => {
    const { rows } = await t.db.query<{ version: number; name: string }>('select version, name from schema_migrations order by version');
    expect(rows.map((r) => r.name)).toEqual(loadMigrations().map((m) => m.name));
    expect(await migrate(t.db)).toEqual([]);
    expect(await migrate(t.db)).toEqual([]);
    const again = await t.db.query('select count(*)::int as n from schema_migrations');
    expect(again.rows[0]).toEqual({ n: rows.length });
  });

  it.skipIf(skip)('refuses a migration that changed after it was applied', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'relay-mig-'));
    writeFileSync(join(dir, '900_extra.sql'), 'create table extra_900 (id int);');
    // Only the new file is in this folder, so it alone is checked and applied.
    expect(await migrate(t.db, dir)).toEqual(['900_extra.sql']);
    writeFileSync(join(dir, '900_extra.sql'), 'create table extra_900 (id bigint);');
    await expect(migrate(t.db, dir)).rejects.toThrow(/changed after it was applied/);
  });

  it.skipIf(skip)('keeps the event log append-only', async () => {
    const now = new Date().toISOString();
    const id = '00000000-0000-4000-8000-000000000001';
    await t.db.query(
      `insert into conversations (id, token_hash, state, reason, created_at, updated_at) values ($1, 'x', 'bot', '{}', $2, $2)`,
      [id, now],
    );
    await t.db.query(
      `insert into conversation_events (conversation_id, type, actor, data, created_at) values ($1, 'message', 'device', '{}', $2)`,
      [id, now],
    );
    await expect(t.db.query('update conversation_events set actor = $1', ['system'])).rejects.toThrow(/append-only/);
    await expect(t.db.query('delete from conversation_events')).rejects.toThrow(/append-only/);
  });

  it.skipIf(skip)('delivers notifications on commit, not on rollback', async () => {
    const got: string[] = [];
    const unlisten = await t.db.listen('migrate_test', (p) => got.push(p));
    await t.db.transaction(async (tx) => tx.notify('migrate_test', 'committed'));
    await t.db.transaction(async (tx) => {
      await tx.notify('migrate_test', 'rolled back');
      throw new Error('abort');
    }).catch(() => {});
    await vi_waitFor(() => got.length >= 1);
    await new Promise((r) => setTimeout(r, 100));
    expect(got).toEqual(['committed']);
    await unlisten();
  });
});

async function vi_waitFor(cond: () => boolean, ms = 3000): Promise<void> {
  const until = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

const pgUrl = testDatabaseUrl();
describe.skipIf(!pgUrl)('migrations racing on PostgreSQL', () => {
  it('two processes migrating at once: one applies, the other waits and finds nothing to do', async () => {
    const url = pgUrl!;
    const schema = `relay_test_${randomBytes(6).toString('hex')}`;
    const a = await openPostgres({ connectionString: url, schema, max: 2 });
    const b = await openPostgres({ connectionString: url, schema, max: 2 });
    try {
      const [ra, rb] = await Promise.all([migrate(a), migrate(b)]);
      const all = loadMigrations().map((m) => m.name);
      expect([ra, rb].sort((x, y) => y.length - x.length)).toEqual([all, []]);
    } finally {
      await a.close();
      await b.close();
      await dropSchema(url, schema);
    }
  });
});
