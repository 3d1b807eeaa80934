import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeKinds, type TestDatabase } from '../store/testing.ts';
import { fakeDb } from '../test-support/fake-db.ts';
import { memoryLimits, RateLimiter, sharedLimits } from './rate-limit.ts';

// Issue 15 item 4: with PostgreSQL, limits are shared by every relay process on the database
// (one table, one atomic upsert per request); the embedded database keeps them in memory.

describe('in-memory limits', () => {
  it('refills a token bucket over the window', () => {
    let now = 0;
    const limiter = memoryLimits(() => now)('test', { limit: 2, windowMs: 1000 });
    expect(limiter).toBeInstanceOf(RateLimiter);
    expect([limiter.take('a'), limiter.take('a')]).toEqual([0, 0]);
    expect(limiter.take('a')).toBe(500);
    expect(limiter.take('b')).toBe(0);
    now = 500;
    expect(limiter.take('a')).toBe(0);
  });
});

describe('shared limits when the database fails', () => {
  it('lets the request through and says so', async () => {
    const logged: string[] = [];
    const limiter = sharedLimits(fakeDb('postgres'), { log: (m) => logged.push(m) })('api', { limit: 1, windowMs: 1000 });
    expect(await limiter.take('a')).toBe(0);
    expect(logged.join()).toMatch(/rate limit api: the database failed/);
  });
});

describe.each(storeKinds())('shared limits on $kind', ({ kind, skip, open }) => {
  let t: TestDatabase;
  beforeAll(async () => {
    if (!skip) t = await open();
  });
  afterAll(async () => t?.cleanup());

  it.skipIf(skip)('slides over the window: the previous window counts by how much of it is still inside', async () => {
    let now = 1_000_000_000_000; // on a window boundary
    const limiter = sharedLimits(t.db, { now: () => now })('slide', { limit: 3, windowMs: 1000 });
    for (let i = 0; i < 3; i++) expect(await limiter.take('k')).toBe(0);
    // Full: wait for the next window, plus until this one weighs at most limit - 1 there.
    expect(await limiter.take('k')).toBe(1000 + 334);
    now += 1500; // half of the full window still counts: 1.5 of 3
    expect(await limiter.take('k')).toBe(0);
    // 1.5 + 1 + 1 > 3: wait until the old window weighs 1 (two thirds through it).
    expect(await limiter.take('k')).toBe(167);
    now += 167;
    expect(await limiter.take('k')).toBe(0);
    // Other scopes and keys have their own allowance; refused requests did not count.
    expect(await sharedLimits(t.db, { now: () => now })('other', { limit: 1, windowMs: 1000 }).take('k')).toBe(0);
    expect(await limiter.take('another key')).toBe(0);
    const { rows } = await t.db.query<{ hits: number }>(`select hits from rate_limit_hits where scope = 'slide' and key = 'k' order by window_start`);
    expect(rows.map((r) => r.hits)).toEqual([3, 2]);
  });

  it.skipIf(skip || kind !== 'postgres')('holds under concurrent requests through two connections, as two relays', async () => {
    const other = await t.connectAgain!();
    const rule = { limit: 20, windowMs: 60_000 };
    const a = sharedLimits(t.db)('burst', rule);
    const b = sharedLimits(other)('burst', rule);
    const waits = await Promise.all(Array.from({ length: 60 }, (_, i) => (i % 2 ? a : b).take('same-key')));
    expect(waits.filter((w) => w === 0)).toHaveLength(20);
    for (const w of waits.filter((w) => w > 0)) expect(w).toBeGreaterThan(0);
  });

  it.skipIf(skip)('deletes expired rows now and then', async () => {
    let now = 2_000_000_000_000;
    const limits = sharedLimits(t.db, { now: () => now });
    await limits('prune', { limit: 5, windowMs: 1000 }).take('x');
    now += 10 * 60_000;
    await limits('prune', { limit: 5, windowMs: 1000 }).take('y');
    for (let i = 0; i < 50; i++) {
      const { rows } = await t.db.query<{ key: string }>(`select key from rate_limit_hits where scope = 'prune' order by key`);
      if (rows.length === 1) {
        expect(rows).toEqual([{ key: 'y' }]);
        return;
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error('the expired row was not deleted');
  });
});
