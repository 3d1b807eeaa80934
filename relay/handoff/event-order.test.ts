import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Hono } from 'hono';
import { storeKinds, type TestDatabase } from '../store/testing.ts';
import type { Db } from '../store/types.ts';
import { createDevice, handoffApp, loginAgent, type AgentClient, type Device } from '../test-support/handoff-harness.ts';
import { SseReader } from '../test-support/sse-reader.ts';
import { addUserMessage, type HandoffContext } from './conversations.ts';
import { appendEvent, ensureEventIdsAhead, lockConversation, readEvents, readFeed } from './event-log.ts';

// Issue 15: writers of different conversations no longer share one lock, so their event ids can
// commit out of order. Replay with Last-Event-ID must stay exact: per conversation and on the
// agents' global feed, nothing lost and nothing twice.

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A Db whose transactions linger a random moment before committing: commits overtake each other. */
function lingering(db: Db, maxMs: number): Db {
  return { ...db, kind: db.kind, transaction: (fn) => db.transaction(async (tx) => {
    const result = await fn(tx);
    await sleep(Math.random() * maxMs);
    return result;
  }) };
}

interface Received {
  id: string;
  conversationId: string;
}

/**
 * Follows an SSE endpoint, dropping the connection after a random few events and resuming with
 * Last-Event-ID, until `enough` says stop. Returns every event received, in order.
 */
async function followWithReconnects(open: (lastEventId: string | null) => Response | Promise<Response>, start: string | null, enough: (got: Received[]) => boolean): Promise<Received[]> {
  const got: Received[] = [];
  let last = start;
  const deadline = Date.now() + 30_000;
  while (!enough(got)) {
    if (Date.now() > deadline) throw new Error(`gave up after ${got.length} events`);
    const reader = new SseReader(await open(last));
    const budget = 1 + Math.floor(Math.random() * 25);
    try {
        for (let n = 0; n < budget && !enough(got); ) {
          let e;
          try {
            e = await reader.next(500);
          } catch {
            break; // quiet for a while: reconnect anyway
          }
          if (e.event === 'ready') continue;
          const event = JSON.parse(e.data) as Received;
          expect(e.id).toBe(event.id);
          got.push({ id: event.id, conversationId: event.conversationId });
          last = event.id;
          n++;
        }
    } finally {
      await reader.close();
    }
  }
  return got;
}

describe.each(storeKinds())('event ids and replay with concurrent writers on $kind', ({ kind, skip, open }) => {
  let t: TestDatabase;
  let app: Hono;
  let agent: AgentClient;
  beforeAll(async () => {
    if (skip) return;
    t = await open();
    app = handoffApp(t.db, { heartbeatMs: 200 }).app;
    agent = await loginAgent(app, t.db);
  });
  afterAll(async () => t?.cleanup());

  // PostgreSQL only: the embedded database runs one transaction at a time, so no transaction can
  // still be in flight while another commits.
  it.skipIf(skip || kind !== 'postgres')('holds a committed id back from the global feed while a smaller one is still in flight', async () => {
    const ctx = (db: Db): HandoffContext => ({ db, now: () => new Date(), slaMs: 60_000 });
    const [a, b] = [await createDevice(app), await createDevice(app)];
    const top = await t.db.query<{ id: string }>('select max(id)::text as id from conversation_events');
    const before = top.rows[0]!.id;

    let commitA!: () => void;
    const aMayCommit = new Promise<void>((r) => (commitA = r));
    let aAppended!: (id: string) => void;
    const aId = new Promise<string>((r) => (aAppended = r));
    const txA = t.db.transaction(async (tx) => {
      await lockConversation(tx, a.id);
      const e = await appendEvent(tx, { conversationId: a.id, actor: 'device', at: new Date(), type: 'message', data: { author: 'user', text: 'slow' } });
      aAppended(e.id);
      await aMayCommit;
    });
    try {
      const idA = await aId;
      // B starts after A and commits first: its id is larger, yet it is visible before A's.
      const { event: eB } = await addUserMessage(ctx(t.db), b.id, 'fast');
      expect(BigInt(eB.id)).toBeGreaterThan(BigInt(idA));

      // The device stream of B sees it at once (its conversation's order is exact on its own)...
      expect((await readEvents(t.db, { conversationId: b.id, afterId: '0', limit: 100 })).map((e) => e.id)).toContain(eB.id);
      // ...the global feed holds it back: delivering it now would move the cursor past A's id.
      const held = await readFeed(t.db, { afterId: before, limit: 100 });
      expect(held.events.map((e) => e.id)).not.toContain(eB.id);
      expect(held.held).toBe(true);

      commitA();
      await txA;
      const after = await readFeed(t.db, { afterId: before, limit: 100 });
      expect(after.events.map((e) => e.id)).toEqual([idA, eB.id]);
      expect(after.held).toBe(false);
    } finally {
      commitA();
      await txA;
    }
  });

  it.skipIf(skip)('concurrent writers to many conversations: SSE replay, per conversation and global, loses and repeats nothing', async () => {
    const devices: Device[] = [];
    for (let i = 0; i < 12; i++) devices.push(await createDevice(app));
    // Where the dashboard starts: the ready event of a fresh stream (from now on).
    const first = new SseReader(await agent.request('/api/v1/agent/events'));
    const ready = (await first.until((e) => e.event === 'ready')).at(-1)!;
    const start = (JSON.parse(ready.data) as { lastEventId: string }).lastEventId;
    await first.close();

    // Writers through two connection pools (two relay processes on PostgreSQL), committing after a
    // random pause so that ids often commit out of order.
    const pools = t.connectAgain ? [t.db, await t.connectAgain()] : [t.db];
    const contexts = pools.map((db): HandoffContext => ({ db: lingering(db, kind === 'postgres' ? 8 : 1), now: () => new Date(), slaMs: 60_000 }));
    const writers = 8;
    const perWriter = 30;
    const committed: { id: string; at: number }[] = [];
    const writing = Promise.all(
      Array.from({ length: writers }, async (_, w) => {
        for (let i = 0; i < perWriter; i++) {
          const device = devices[Math.floor(Math.random() * devices.length)]!;
          const { event } = await addUserMessage(contexts[(w + i) % contexts.length]!, device.id, `w${w} m${i}`);
          committed.push({ id: event.id, at: performance.now() });
        }
      }),
    );
    const total = writers * perWriter;
    // The dashboard stops at the log's last entry, known once the writers are done.
    let finalId = 'not yet';

    const dashboard = followWithReconnects(
      (last) => agent.request(`/api/v1/agent/events${last ? `?lastEventId=${last}` : ''}`),
      start,
      (got) => got.some((e) => e.id === finalId),
    );
    // The device streams stop at their conversation's last event, known once the writers are done.
    const lastIds = new Map<string, string>();
    const lastOf = (id: string) => lastIds.get(id) ?? 'not yet';
    const watched = devices.slice(0, 4);
    const deviceStreams = watched.map((device) =>
      followWithReconnects(
        (last) => app.request(`/api/v1/conversations/${device.id}/events`, { headers: { ...device.auth, ...(last ? { 'Last-Event-ID': last } : {}) } }),
        null,
        (got) => got.some((e) => e.id === lastOf(device.id)),
      ),
    );
    await writing;
    const stored = await t.db.query<{ id: string }>('select id::text as id from conversation_events where id > $1 order by conversation_events.id', [start]);
    // Every message, and maybe entries of the setup that were still above the watermark when the dashboard started.
    expect(stored.rows.length).toBeGreaterThanOrEqual(total);
    finalId = stored.rows.at(-1)!.id;
    for (const device of devices) {
      const events = await readEvents(t.db, { conversationId: device.id, afterId: '0', limit: 10_000 });
      lastIds.set(device.id, events.at(-1)!.id);
    }

    const got = await dashboard;
    expect(got.map((e) => e.id)).toEqual(stored.rows.map((r) => r.id));

    const perDevice = await Promise.all(deviceStreams);
    for (const [i, device] of watched.entries()) {
      const events = await readEvents(t.db, { conversationId: device.id, afterId: '0', limit: 10_000 });
      expect(perDevice[i]!.map((e) => e.id)).toEqual(events.map((e) => e.id));
      expect(perDevice[i]!.every((e) => e.conversationId === device.id)).toBe(true);
    }

    if (kind === 'postgres') {
      // The scenario did happen: some id committed after a larger one.
      const byTime = [...committed].sort((x, y) => x.at - y.at);
      const overtaken = byTime.filter((e, i) => byTime.slice(0, i).some((earlier) => BigInt(earlier.id) > BigInt(e.id)));
      expect(overtaken.length).toBeGreaterThan(0);
    }
  }, 60_000);

  it.skipIf(skip)('keeps new ids above stored ones after a restore into a cluster with lower transaction ids', async () => {
    const device = await createDevice(app);
    // A row as a restored dump from a busier cluster would hold: an id far above this one's.
    const far = (10n ** 15n).toString();
    await t.db.query(
      `insert into conversation_events (id, conversation_id, type, actor, data, created_at) values ($1, $2, 'message', 'device', '{"author":"user","text":"old"}', now())`,
      [far, device.id],
    );
    expect(await ensureEventIdsAhead(t.db)).toBe(true);
    expect(await ensureEventIdsAhead(t.db)).toBe(false);
    const { event } = await addUserMessage({ db: t.db, now: () => new Date(), slaMs: 60_000 }, device.id, 'new');
    expect(BigInt(event.id)).toBeGreaterThan(10n ** 15n);
    const feed = await readFeed(t.db, { afterId: far, limit: 10 });
    expect(feed.events.map((e) => e.id)).toEqual([event.id]);
  });
});
