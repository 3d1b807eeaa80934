import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Hono } from 'hono';
import { ConversationSchema } from '../../src/protocol/conversation.ts';
import { CreateHandoffResponseSchema } from '../../src/protocol/device-api.ts';
import { QueueResponseSchema } from '../../src/protocol/agent-api.ts';
import { RelayEventSchema, type RelayEvent } from '../../src/protocol/events.ts';
import { storeKinds, type TestDatabase } from '../store/testing.ts';
import { createDevice, handoffApp, json, loginAgent, validHandoff, type AgentClient } from '../test-support/handoff-harness.ts';
import { SseReader } from '../test-support/sse-reader.ts';
import { expireOverdue } from './conversations.ts';

// The handoff state machine through the HTTP API, on each store.

describe.each(storeKinds())('handoff lifecycle on $kind', ({ skip, open }) => {
  let t: TestDatabase;
  let app: Hono;
  let clock: ReturnType<typeof handoffApp>['clock'];
  let alice: AgentClient;
  let bob: AgentClient;

  beforeAll(async () => {
    if (skip) return;
    t = await open();
    ({ app, clock } = handoffApp(t.db));
    alice = await loginAgent(app, t.db, 'Alice');
    bob = await loginAgent(app, t.db, 'Bob');
  });
  afterAll(async () => t?.cleanup());

  const conversation = async (id: string) => {
    const res = await alice.request(`/api/v1/agent/conversations/${id}`);
    expect(res.status).toBe(200);
    return (await res.json()) as { conversation: { state: string; agent: { name: string } | null }; events: RelayEvent[] };
  };

  it.skipIf(skip)('creates a pending handoff with a token, a transcript and a log', async () => {
    const res = await app.request('/api/v1/handoffs', json(validHandoff));
    expect(res.status).toBe(201);
    const body = CreateHandoffResponseSchema.parse(await res.json());
    expect(body.conversation).toMatchObject({ state: 'pending', reason: validHandoff.reason, summary: validHandoff.summary, agent: null });
    expect(body.token.length).toBeGreaterThanOrEqual(40);
    expect(body.eventsUrl).toBe(`/api/v1/conversations/${body.conversation.id}/events`);
    const deadline = Date.parse(body.conversation.slaDeadline!) - Date.parse(body.conversation.pendingSince!);
    expect(deadline).toBe(60_000);

    const own = await app.request(`/api/v1/conversations/${body.conversation.id}`, { headers: { Authorization: `Bearer ${body.token}` } });
    const { events } = (await own.json()) as { events: unknown[] };
    const parsed = events.map((e) => RelayEventSchema.parse(e));
    expect(parsed.map((e) => e.type)).toEqual(['handoff', 'state']);
    expect(parsed[0]!.data).toMatchObject({ transcript: validHandoff.transcript });
    expect(parsed[1]!.data).toEqual({ from: 'bot', to: 'pending', cause: 'handoff' });
  });

  it.skipIf(skip)('shows waiting handoffs in the queue with reason and wait time, longest first', async () => {
    const first = await createDevice(app);
    clock.advance(5_000);
    const second = await createDevice(app, { ...validHandoff, reason: { kind: 'negative_sentiment' } });
    clock.advance(1_000);
    const res = await alice.request('/api/v1/agent/queue');
    expect(res.status).toBe(200);
    const queue = QueueResponseSchema.parse(await res.json());
    const ids = queue.pending.map((q) => q.id);
    expect(ids.indexOf(first.id)).toBeLessThan(ids.indexOf(second.id));
    const a = queue.pending.find((q) => q.id === first.id)!;
    const b = queue.pending.find((q) => q.id === second.id)!;
    expect(a.waitMs).toBeGreaterThanOrEqual(6_000);
    expect(b.waitMs).toBeGreaterThanOrEqual(1_000);
    expect(b.waitMs).toBeLessThan(a.waitMs);
    expect(b.reason).toEqual({ kind: 'negative_sentiment' });
    expect(queue.agents.online).toBeGreaterThanOrEqual(2);
    // Clean up for later queue assertions.
    for (const d of [first, second]) await app.request(`/api/v1/conversations/${d.id}/cancel`, { method: 'POST', headers: d.auth });
  });

  it.skipIf(skip)('runs bot -> pending -> assigned -> resolved with messages both ways', async () => {
    const device = await createDevice(app);
    expect((await app.request(`/api/v1/conversations/${device.id}/messages`, json({ text: 'Are you there?' }, device.auth))).status).toBe(201);

    const claimed = await alice.post(`/api/v1/agent/conversations/${device.id}/claim`);
    expect(claimed.status).toBe(200);
    expect(ConversationSchema.parse(((await claimed.json()) as { conversation: unknown }).conversation)).toMatchObject({
      state: 'assigned',
      agent: { id: alice.id, name: 'Alice' },
      slaDeadline: null,
    });
    const mine = QueueResponseSchema.parse(await (await alice.request('/api/v1/agent/queue')).json());
    expect(mine.mine.map((c) => c.id)).toContain(device.id);
    expect(mine.pending.map((c) => c.id)).not.toContain(device.id);

    expect((await alice.post(`/api/v1/agent/conversations/${device.id}/messages`, { text: 'Hello, I am Alice.' })).status).toBe(201);
    expect((await app.request(`/api/v1/conversations/${device.id}/messages`, json({ text: 'Change my address' }, device.auth))).status).toBe(201);

    // Bob can read but not write or close it.
    expect((await bob.request(`/api/v1/agent/conversations/${device.id}`)).status).toBe(200);
    const bobReply = await bob.post(`/api/v1/agent/conversations/${device.id}/messages`, { text: 'hi' });
    expect(bobReply.status).toBe(403);
    expect(await bobReply.json()).toMatchObject({ error: { code: 'not_your_conversation' } });
    expect((await bob.post(`/api/v1/agent/conversations/${device.id}/resolve`)).status).toBe(403);

    const resolved = await alice.post(`/api/v1/agent/conversations/${device.id}/resolve`);
    expect(resolved.status).toBe(200);
    expect(((await resolved.json()) as { conversation: { state: string } }).conversation.state).toBe('resolved');

    const late = await app.request(`/api/v1/conversations/${device.id}/messages`, json({ text: 'one more thing' }, device.auth));
    expect(late.status).toBe(409);
    expect(await late.json()).toMatchObject({ error: { code: 'invalid_state' } });
    expect((await alice.post(`/api/v1/agent/conversations/${device.id}/claim`)).status).toBe(409);

    const { events } = await conversation(device.id);
    expect(events.map((e) => (e.type === 'state' ? `${e.data.from}->${e.data.to}` : e.type))).toEqual([
      'handoff', 'bot->pending', 'message', 'pending->assigned', 'message', 'message', 'assigned->resolved',
    ]);
    const messages = events.filter((e) => e.type === 'message');
    expect(messages.map((m) => m.data.author)).toEqual(['user', 'agent', 'user']);
    expect(messages[1]!.data).toMatchObject({ agent: { id: alice.id, name: 'Alice' } });
  });

  it.skipIf(skip)('returns to the bot with the whole transcript, and can hand off again', async () => {
    const device = await createDevice(app);
    await alice.post(`/api/v1/agent/conversations/${device.id}/claim`);
    await alice.post(`/api/v1/agent/conversations/${device.id}/messages`, { text: 'Your address is updated.' });
    await app.request(`/api/v1/conversations/${device.id}/messages`, json({ text: 'Thanks!' }, device.auth));
    const back = await alice.post(`/api/v1/agent/conversations/${device.id}/return`);
    expect(back.status).toBe(200);
    expect(((await back.json()) as { conversation: { state: string } }).conversation.state).toBe('bot');

    const own = (await (await app.request(`/api/v1/conversations/${device.id}`, { headers: device.auth })).json()) as { events: RelayEvent[] };
    const last = own.events.at(-1)!;
    expect(last.type).toBe('state');
    if (last.type !== 'state') return;
    expect(last.data).toMatchObject({ from: 'assigned', to: 'bot', cause: 'return', agent: { name: 'Alice' } });
    expect(last.data.transcript?.map((e) => `${e.role}:${e.text}`)).toEqual([
      ...validHandoff.transcript.map((e) => `${e.role}:${e.text}`),
      'agent:Your address is updated.',
      'user:Thanks!',
    ]);
    expect(last.data.transcript?.[3]).toMatchObject({ name: 'Alice' });

    // In the bot state the device talks to its assistant, not to the relay.
    expect((await app.request(`/api/v1/conversations/${device.id}/messages`, json({ text: 'x' }, device.auth))).status).toBe(409);
    expect((await alice.post(`/api/v1/agent/conversations/${device.id}/messages`, { text: 'x' })).status).toBe(409);

    const again = await app.request(`/api/v1/conversations/${device.id}/handoff`, json({ reason: { kind: 'keyword', detail: 'refund' } }, device.auth));
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ conversation: { state: 'pending', reason: { kind: 'keyword' }, agent: null } });
    const twice = await app.request(`/api/v1/conversations/${device.id}/handoff`, json({ reason: { kind: 'keyword' } }, device.auth));
    expect(twice.status).toBe(409);
  });

  it.skipIf(skip)('expires a handoff nobody claims within the SLA back to the bot', async () => {
    const device = await createDevice(app);
    const ctx = { db: t.db, now: clock.now, slaMs: 60_000 };
    clock.advance(59_000);
    await expireOverdue(ctx);
    expect((await conversation(device.id)).conversation.state).toBe('pending');
    clock.advance(2_000);
    expect(await expireOverdue(ctx)).toBeGreaterThanOrEqual(1);
    expect(await expireOverdue(ctx)).toBe(0);

    const { conversation: c, events } = await conversation(device.id);
    expect(c.state).toBe('bot');
    expect(events.slice(-2).map((e) => e.data)).toEqual([
      { from: 'pending', to: 'expired', cause: 'sla' },
      { from: 'expired', to: 'bot', cause: 'sla' },
    ]);
    const late = await alice.post(`/api/v1/agent/conversations/${device.id}/claim`);
    expect(late.status).toBe(409);
    expect(await late.json()).toMatchObject({ error: { code: 'invalid_state' } });
  });

  it.skipIf(skip)('lets exactly one of several agents claiming at once win', async () => {
    const agents = [alice, bob, await loginAgent(app, t.db, 'Carol'), await loginAgent(app, t.db, 'Dan')];
    for (let round = 0; round < 5; round++) {
      const device = await createDevice(app);
      const results = await Promise.all(agents.map((a) => a.post(`/api/v1/agent/conversations/${device.id}/claim`)));
      const statuses = results.map((r) => r.status).sort();
      expect(statuses).toEqual([200, 409, 409, 409]);
      const losers = results.filter((r) => r.status === 409);
      for (const loser of losers) expect(await loser.json()).toMatchObject({ error: { code: 'already_claimed' } });
      const { events } = await conversation(device.id);
      expect(events.filter((e) => e.type === 'state' && e.data.cause === 'claim')).toHaveLength(1);
      const winner = agents[results.findIndex((r) => r.status === 200)]!;
      expect((await conversation(device.id)).conversation.agent?.name).toBe(winner.name);
    }
  });

  it.skipIf(skip)('treats a repeated claim by the same agent and a repeated clientMessageId as one', async () => {
    const device = await createDevice(app);
    expect((await alice.post(`/api/v1/agent/conversations/${device.id}/claim`)).status).toBe(200);
    expect((await alice.post(`/api/v1/agent/conversations/${device.id}/claim`)).status).toBe(200);
    const send = () => app.request(`/api/v1/conversations/${device.id}/messages`, json({ text: 'hello', clientMessageId: 'm-1' }, device.auth));
    const first = await send();
    const second = await send();
    expect([first.status, second.status]).toEqual([201, 200]);
    const a = (await first.json()) as { event: { id: string } };
    const b = (await second.json()) as { event: { id: string } };
    expect(b.event.id).toBe(a.event.id);
    const { events } = await conversation(device.id);
    expect(events.filter((e) => e.type === 'message')).toHaveLength(1);
    expect(events.filter((e) => e.type === 'state' && e.data.cause === 'claim')).toHaveLength(1);
  });

  it.skipIf(skip)('streams events to the device and replays after Last-Event-ID without loss or duplicates', async () => {
    const device = await createDevice(app);
    const url = `/api/v1/conversations/${device.id}/events`;
    const first = new SseReader(await app.request(url, { headers: device.auth }));
    const replay = await first.until((e) => e.event === 'ready');
    expect(replay.map((e) => e.event)).toEqual(['handoff', 'state', 'ready']);
    const lastSeen = replay[1]!.id!;

    await alice.post(`/api/v1/agent/conversations/${device.id}/claim`);
    await alice.post(`/api/v1/agent/conversations/${device.id}/messages`, { text: 'Hi, Alice here.' });
    const live = await first.until((e) => e.event === 'message');
    expect(live.map((e) => e.event)).toEqual(['state', 'message']);
    expect(RelayEventSchema.parse(JSON.parse(live[1]!.data))).toMatchObject({ data: { author: 'agent', text: 'Hi, Alice here.' } });
    await first.close();

    // Offline for a while: two more messages, then reconnect as EventSource would.
    await alice.post(`/api/v1/agent/conversations/${device.id}/messages`, { text: 'Still there?' });
    await alice.post(`/api/v1/agent/conversations/${device.id}/messages`, { text: 'Hello?' });
    const resumed = new SseReader(await app.request(url, { headers: { ...device.auth, 'Last-Event-ID': live[1]!.id! } }));
    const missed = await resumed.until((e) => e.event === 'ready');
    expect(missed.filter((e) => e.event === 'message').map((e) => (JSON.parse(e.data) as { data: { text: string } }).data.text)).toEqual(['Still there?', 'Hello?']);
    await resumed.close();

    // After a page reload: the id from storage, through the query (EventSource sets no headers), with a stream ticket.
    const ticket = (await (await app.request(`/api/v1/conversations/${device.id}/stream-ticket`, { method: 'POST', headers: device.auth })).json()) as { ticket: string };
    const reload = new SseReader(await app.request(`${url}?ticket=${ticket.ticket}&lastEventId=${lastSeen}`));
    const all = await reload.until((e) => e.event === 'ready');
    expect(all.map((e) => e.event)).toEqual(['state', 'message', 'message', 'message', 'ready']);
    const ids = all.filter((e) => e.id).map((e) => BigInt(e.id!));
    expect(ids).toEqual([...ids].sort((x, y) => (x < y ? -1 : 1)));
    await reload.close();
  });

  it.skipIf(skip)('streams new handoffs and changes to the dashboard', async () => {
    const dashboard = new SseReader(await alice.request('/api/v1/agent/events'));
    expect((await dashboard.next()).event).toBe('ready');
    const device = await createDevice(app);
    const events = await dashboard.until((e) => e.event === 'state');
    expect(events.map((e) => e.event)).toEqual(['handoff', 'state']);
    expect(JSON.parse(events[0]!.data)).toMatchObject({ conversationId: device.id, data: { reason: validHandoff.reason } });
    await app.request(`/api/v1/conversations/${device.id}/messages`, json({ text: 'anyone?' }, device.auth));
    expect(JSON.parse((await dashboard.next()).data)).toMatchObject({ type: 'message', data: { text: 'anyone?' } });
    await dashboard.close();
  });
});
