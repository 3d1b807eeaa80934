import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeKinds, type TestDatabase } from '../store/testing.ts';
import type { Queryable } from '../store/types.ts';
import { fakeDb } from '../test-support/fake-db.ts';
import { leaseBlock, memoryLimits, RateLimiter, sharedLimits } from './rate-limit.ts';

// Issue 15 item 4: with PostgreSQL, limits are shared by every relay process on the database
// (one table; each process leases hits from it in blocks of limit / 20, one atomic upsert per
// lease); the embedded database keeps them in memory.

/** `db`, counting the statements sent (the now-and-then prune of expired rows aside). */
function counting(db: Queryable): Queryable & { statements: number } {
  const wrapper = {
    statements: 0,
    query: ((sql, params, options) => {
      if (!/^\s*delete from rate_limit_hits/.test(sql)) wrapper.statements++;
      return db.query(sql, params, options);
    }) as Queryable['query'],
    exec: (sql: string) => db.exec(sql),
    notify: (channel: string, payload: string) => db.notify(channel, payload),
  };
  return wrapper;
}

describe('lease block', () => {
  it('is a twentieth of the limit, at least one (small limits stay exact), at most 100', () => {
    expect([1, 10, 30, 39, 40, 120, 600, 2000, 2020, 1e9].map(leaseBlock)).toEqual([1, 1, 1, 1, 2, 6, 30, 100, 100, 100]);
  });
});

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

  // PostgreSQL only: the embedded database has a single connection (and a single relay process),
  // so there is no second connection to race against.
  it.skipIf(skip || kind !== 'postgres')('holds under concurrent requests through two connections, as two relays', async () => {
    const other = await t.connectAgain!();
    const rule = { limit: 20, windowMs: 60_000 };
    const a = sharedLimits(t.db)('burst', rule);
    const b = sharedLimits(other)('burst', rule);
    const waits = await Promise.all(Array.from({ length: 60 }, (_, i) => Promise.resolve((i % 2 ? a : b).take('same-key'))));
    expect(waits.filter((w) => w === 0)).toHaveLength(20);
    for (const w of waits.filter((w) => w > 0)) expect(w).toBeGreaterThan(0);
  });

  const MINUTE = 60_000;
  const hitsOf = async (scope: string) =>
    (await t.db.query<{ hits: number }>(`select hits from rate_limit_hits where scope = $1 order by window_start`, [scope])).rows.map((r) => r.hits);

  it.skipIf(skip)('leases hits in blocks: one statement per block, concurrent requests wait for one lease', async () => {
    const now = 3_000_000_000_000; // on a window boundary
    const db = counting(t.db);
    const limiter = sharedLimits(db, { now: () => now })('block', { limit: 100, windowMs: MINUTE }); // block 5
    for (let i = 0; i < 12; i++) expect(await limiter.take('k')).toBe(0);
    expect(db.statements).toBe(3);
    expect(await hitsOf('block')).toEqual([15]); // counted when leased, 3 still to serve here
    const waits = await Promise.all(Array.from({ length: 13 }, () => Promise.resolve(limiter.take('k'))));
    expect(waits).toEqual(Array(13).fill(0));
    expect(db.statements).toBe(5); // 3 from the last lease, then 5 + 5 from two more
    expect(await hitsOf('block')).toEqual([25]);
  });

  it.skipIf(skip)('grants only what remains near the limit, never more than the limit across processes', async () => {
    let now = 3_000_000_000_000;
    const a = sharedLimits(t.db, { now: () => now })('partial', { limit: 45, windowMs: MINUTE }); // block 2
    const bDb = counting(t.db);
    const b = sharedLimits(bDb, { now: () => now })('partial', { limit: 45, windowMs: MINUTE });
    for (let i = 0; i < 43; i++) expect(await a.take('k')).toBe(0); // 22 leases: 44 counted, 1 left in a
    expect(await b.take('k')).toBe(0); // a lease of 1: what remains
    expect(await hitsOf('partial')).toEqual([45]);
    // Full: the next window, then until this one weighs at most limit - 1 (1 - 44/45 of a window).
    const retry = MINUTE + Math.ceil(MINUTE / 45);
    expect(await b.take('k')).toBe(retry);
    expect(await a.take('k')).toBe(0); // the last hit a leased
    expect(await a.take('k')).toBe(retry);
    expect(await hitsOf('partial')).toEqual([45]); // refused requests do not count
    // The refusal is remembered until its Retry-After: no statement, the wait counting down.
    const before = bDb.statements;
    now += 1000;
    expect(await b.take('k')).toBe(retry - 1000);
    expect(bDb.statements).toBe(before);
    now += retry - 1000;
    expect(await b.take('k')).toBe(0);
    expect(bDb.statements).toBe(before + 1);
  });

  it.skipIf(skip)('drops what is left of a lease when the window rolls over; the previous window weighs in', async () => {
    let now = 3_000_000_000_000;
    const db = counting(t.db);
    const limiter = sharedLimits(db, { now: () => now })('roll', { limit: 100, windowMs: MINUTE }); // block 5
    for (let i = 0; i < 98; i++) expect(await limiter.take('k')).toBe(0); // 20 leases, 2 left
    now += MINUTE * 1.5; // half of the previous window (100 counted) still weighs: 50
    for (let i = 0; i < 50; i++) expect(await limiter.take('k')).toBe(0);
    expect(db.statements).toBe(30);
    expect(await hitsOf('roll')).toEqual([100, 50]);
    // 50 + 50 + 1 > 100: wait until the old window weighs 49, 51 % of the way through it.
    expect(await limiter.take('k')).toBe(MINUTE * 0.01);
    now += MINUTE * 0.01;
    expect(await limiter.take('k')).toBe(0); // a lease of 1: 100 * 0.49 + 51 <= 100
    expect(await hitsOf('roll')).toEqual([100, 51]);
  });

  it.skipIf(skip)('costs a metrics request one statement in five for its two address limits, not two', async () => {
    const now = 3_000_000_000_000;
    const db = counting(t.db);
    const limits = sharedLimits(db, { now: () => now });
    const api = limits('api-rt', { limit: 600, windowMs: MINUTE });
    const metrics = limits('metrics-rt', { limit: 120, windowMs: MINUTE });
    for (let i = 0; i < 120; i++) {
      expect(await api.take('ip:198.51.100.1')).toBe(0);
      expect(await metrics.take('198.51.100.1')).toBe(0);
    }
    expect(db.statements / 120).toBe(0.2); // 120 / 30 + 120 / 6 = 24
    expect(await metrics.take('198.51.100.1')).toBeGreaterThan(0); // refused: a lease and a count
    expect(await metrics.take('198.51.100.1')).toBeGreaterThan(0); // then remembered
    expect(db.statements).toBe(26);
  });

  // PostgreSQL only: the embedded database has a single connection (and a single relay process),
  // so there is no second connection to race against.
  it.skipIf(skip || kind !== 'postgres')('holds a leased limit under concurrent requests through two connections', async () => {
    const other = await t.connectAgain!();
    const rule = { limit: 200, windowMs: MINUTE }; // block 10
    const a = sharedLimits(t.db)('burst-lease', rule);
    const b = sharedLimits(other)('burst-lease', rule);
    const waits = await Promise.all(Array.from({ length: 300 }, (_, i) => Promise.resolve((i % 2 ? a : b).take(`key`))));
    expect(waits.filter((w) => w === 0)).toHaveLength(200);
    expect(await hitsOf('burst-lease')).toEqual([200]);
  });

  it.skipIf(skip)('lets every request waiting on a failed lease through', async () => {
    const logged: string[] = [];
    const db: Queryable = { ...counting(t.db), query: () => Promise.reject(new Error('down')) };
    const limiter = sharedLimits(db, { log: (m) => logged.push(m) })('down', { limit: 100, windowMs: MINUTE });
    expect(await Promise.all([limiter.take('k'), limiter.take('k'), limiter.take('k')])).toEqual([0, 0, 0]);
    expect(logged.filter((m) => m.startsWith('rate limit down'))).toHaveLength(1);
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
