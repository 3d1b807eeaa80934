import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Hono } from 'hono';
import { storeKinds, type TestDatabase } from '../store/testing.ts';
import { scrape } from '../test-support/prometheus.ts';
import { createDevice, handoffApp, json, loginAgent, ORIGIN, validHandoff, type AgentClient, type Device } from '../test-support/handoff-harness.ts';
import { AGENT_SESSION_COOKIE } from '../../src/protocol/api.ts';

// Nothing a client sends may crash the relay or reach another conversation.

describe.each(storeKinds())('hostile input on $kind', ({ skip, open }) => {
  let t: TestDatabase;
  let app: Hono;
  let agent: AgentClient;
  let mine: Device;
  let theirs: Device;

  beforeAll(async () => {
    if (skip) return;
    t = await open();
    ({ app } = handoffApp(t.db, { allowedOrigins: ['https://partner.example'] }));
    agent = await loginAgent(app, t.db);
    mine = await createDevice(app);
    theirs = await createDevice(app);
  });
  afterAll(async () => t?.cleanup());

  const expectError = async (res: Response, status: number, code?: string) => {
    expect(res.status).toBe(status);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.message.length).toBeGreaterThan(0);
    if (code) expect(body.error.code).toBe(code);
    return body;
  };

  it.skipIf(skip)("refuses another conversation's token everywhere, the same way as a missing conversation", async () => {
    const other = theirs.id;
    const steal = { Authorization: `Bearer ${mine.token}` };
    await expectError(await app.request(`/api/v1/conversations/${other}`, { headers: steal }), 404, 'not_found');
    await expectError(await app.request(`/api/v1/conversations/${other}/messages`, json({ text: 'hi' }, steal)), 404, 'not_found');
    await expectError(await app.request(`/api/v1/conversations/${other}/cancel`, { method: 'POST', headers: steal }), 404, 'not_found');
    await expectError(await app.request(`/api/v1/conversations/${other}/handoff`, json(validHandoff, steal)), 404, 'not_found');
    await expectError(await app.request(`/api/v1/conversations/${other}/events`, { headers: steal }), 404, 'not_found');
    await expectError(await app.request(`/api/v1/conversations/${other}/stream-ticket`, { method: 'POST', headers: steal }), 404, 'not_found');
    await expectError(await app.request(`/api/v1/conversations/00000000-0000-4000-8000-000000000000`, { headers: steal }), 404, 'not_found');
    // Their conversation is untouched.
    const theirsNow = (await (await app.request(`/api/v1/conversations/${other}`, { headers: theirs.auth })).json()) as { events: unknown[] };
    expect(theirsNow.events).toHaveLength(2);
  });

  it.skipIf(skip)('requires a well-formed token', async () => {
    for (const auth of [undefined, 'Bearer', 'Basic abc', `Bearer ${'x'.repeat(500)}`, "Bearer ' OR 1=1 --", `Bearer ${mine.token}x`]) {
      const headers: Record<string, string> = auth ? { Authorization: auth } : {};
      const res = await app.request(`/api/v1/conversations/${mine.id}`, { headers });
      expect([401, 404]).toContain(res.status);
    }
  });

  it.skipIf(skip)('answers odd conversation ids with 404, never a database error', async () => {
    for (const id of ['not-a-uuid', "1' OR '1'='1", '%00', 'x'.repeat(5000), '..%2f..', mine.id.toUpperCase() + 'x', '%F0%9F%92%A3']) {
      const res = await app.request(`/api/v1/conversations/${id}`, { headers: mine.auth });
      expect(res.status, id).toBe(404);
      const claim = await agent.post(`/api/v1/agent/conversations/${id}/claim`);
      expect(claim.status, id).toBe(404);
    }
  });

  it.skipIf(skip)('explains malformed and invalid bodies with 4xx JSON', async () => {
    const post = (body: string, type = 'application/json') =>
      app.request('/api/v1/handoffs', { method: 'POST', body, headers: { 'Content-Type': type } });
    await expectError(await post('{"reason": '), 400, 'malformed_json');
    await expectError(await post(''), 400, 'malformed_json');
    await expectError(await post('[]'), 400, 'invalid_body');
    await expectError(await post('null'), 400, 'invalid_body');
    await expectError(await post(JSON.stringify(validHandoff), 'text/plain'), 415, 'unsupported_media_type');
    const wrong = await expectError(await post(JSON.stringify({ reason: { kind: 'because' }, transcript: 'all of it' })), 400, 'invalid_body');
    expect(JSON.stringify(wrong)).toContain('reason.kind');
    expect(JSON.stringify(wrong)).toContain('transcript');
    await expectError(await post(JSON.stringify({ ...validHandoff, transcript: Array(201).fill({ role: 'user', text: 'a' }) })), 400);
    await expectError(await post(JSON.stringify({ ...validHandoff, summary: 'a\u0000b' })), 400, 'invalid_body');
    await expectError(await post(`{"reason":{"kind":"other","detail":"\\ud800"}}`), 400, 'invalid_body');
    await expectError(await post('['.repeat(30_000) + ']'.repeat(30_000)), 400);

    const message = (body: unknown) => app.request(`/api/v1/conversations/${mine.id}/messages`, json(body, mine.auth));
    await expectError(await message({ text: '' }), 400, 'invalid_body');
    await expectError(await message({ text: '   ' }), 400, 'invalid_body');
    await expectError(await message({ text: 42 }), 400, 'invalid_body');
    await expectError(await message({ text: 'x'.repeat(4001) }), 400, 'invalid_body');
    await expectError(await message({ text: 'ok', clientMessageId: 'has spaces and ; semicolons' }), 400, 'invalid_body');
  });

  it.skipIf(skip)('refuses oversized bodies with 413', async () => {
    const big = JSON.stringify({ ...validHandoff, summary: 'x'.repeat(2_000_000) });
    await expectError(await app.request('/api/v1/handoffs', { method: 'POST', body: big, headers: { 'Content-Type': 'application/json' } }), 413, 'body_too_large');
    const msg = JSON.stringify({ text: 'x'.repeat(100_000) });
    await expectError(await app.request(`/api/v1/conversations/${mine.id}/messages`, { method: 'POST', body: msg, headers: { 'Content-Type': 'application/json', ...mine.auth } }), 413);
    // A transcript as long as allowed still fits.
    const long = { ...validHandoff, transcript: Array(200).fill({ role: 'user', text: 'y'.repeat(1500) }) };
    expect((await app.request('/api/v1/handoffs', json(long))).status).toBe(201);
  });

  it.skipIf(skip)('stores SQL-looking and unusual text verbatim and harms nothing', async () => {
    const texts = ["'); drop table conversations; --", 'Robert"); DELETE FROM agents; --', '$1 $2 \\x00 %s %n', '🙂 ñ 中文 \u202e', '<script>alert(1)</script>'];
    for (const text of texts) {
      expect((await app.request(`/api/v1/conversations/${mine.id}/messages`, json({ text }, mine.auth))).status).toBe(201);
    }
    const { events } = (await (await app.request(`/api/v1/conversations/${mine.id}`, { headers: mine.auth })).json()) as { events: { type: string; data: { text?: string } }[] };
    expect(events.filter((e) => e.type === 'message').map((e) => e.data.text)).toEqual(texts);
    expect((await app.request(`/api/v1/conversations/${theirs.id}`, { headers: theirs.auth })).status).toBe(200);
    expect((await agent.request('/api/v1/agent/queue')).status).toBe(200);
  });

  it.skipIf(skip)('ignores unknown fields and prototype tricks', async () => {
    const res = await app.request('/api/v1/handoffs', {
      method: 'POST',
      body: `{"reason":{"kind":"other"},"__proto__":{"admin":true},"constructor":{"prototype":{"x":1}},"state":"assigned","token":"mine"}`,
      headers: { 'Content-Type': 'application/json' },
    });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { conversation: { state: string }; token: string };
    expect(body.conversation.state).toBe('pending');
    expect(body.token).not.toBe('mine');
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
  });

  it.skipIf(skip)('refuses agent routes without a live session', async () => {
    await expectError(await app.request('/api/v1/agent/queue'), 401, 'unauthorized');
    await expectError(await app.request('/api/v1/agent/queue', { headers: { Cookie: `${AGENT_SESSION_COOKIE}=forged` } }), 401);
    await expectError(await app.request(`/api/v1/agent/conversations/${mine.id}/claim`, { method: 'POST', headers: { Origin: ORIGIN } }), 401);
    await expectError(await app.request('/api/v1/agent/events'), 401);
    // A device token is not an agent session.
    await expectError(await app.request('/api/v1/agent/queue', { headers: mine.auth }), 401);
    await expectError(await app.request('/api/v1/agent/queue', { headers: { Cookie: `${AGENT_SESSION_COOKIE}=${mine.token}` } }), 401);
  });

  it.skipIf(skip)('refuses agent writes from a foreign origin', async () => {
    const evil = await agent.request(`/api/v1/agent/presence`, { ...json({ status: 'away' }), headers: { 'Content-Type': 'application/json', Origin: 'https://evil.example' } });
    await expectError(evil, 403, 'forbidden_origin');
    const partner = await agent.request(`/api/v1/agent/presence`, { ...json({ status: 'away' }), headers: { 'Content-Type': 'application/json', Origin: 'https://partner.example' } });
    expect(partner.status).toBe(200);
  });

  it.skipIf(skip)('answers CORS only for configured origins', async () => {
    const preflight = (origin: string) =>
      app.request('/api/v1/handoffs', { method: 'OPTIONS', headers: { Origin: origin, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type' } });
    expect((await preflight('https://partner.example')).headers.get('access-control-allow-origin')).toBe('https://partner.example');
    expect((await preflight('https://evil.example')).headers.get('access-control-allow-origin')).toBeNull();
    const simple = await app.request('/api/v1/health', { headers: { Origin: 'https://evil.example' } });
    expect(simple.headers.get('access-control-allow-origin')).toBeNull();
  });

  it.skipIf(skip)('refuses a malformed Last-Event-ID', async () => {
    await expectError(await app.request(`/api/v1/conversations/${mine.id}/events`, { headers: { ...mine.auth, 'Last-Event-ID': "1; drop table x" } }), 400, 'invalid_last_event_id');
    await expectError(await app.request(`/api/v1/conversations/${mine.id}/events?lastEventId=-1`, { headers: mine.auth }), 400);
  });

  it.skipIf(skip)('refuses wrong passwords and unknown accounts alike', async () => {
    const login = (email: string, password: string) => app.request('/api/v1/agent/login', json({ email, password }, { Origin: ORIGIN }));
    const wrong = await expectError(await login('nobody@example.com', 'guess'), 401, 'invalid_credentials');
    await expectError(await login('not-an-email', 'x'), 400, 'invalid_body');
    expect(wrong.error.message).toBe('Wrong email or password.');
  });
});

describe.each(storeKinds())('rate limits on $kind', ({ skip, open }) => {
  let t: TestDatabase;
  beforeAll(async () => {
    if (!skip) t = await open();
  });
  afterAll(async () => t?.cleanup());

  it.skipIf(skip)('limits each token, each address and login attempts, with Retry-After', async () => {
    const { app } = handoffApp(t.db, {
      limits: { perToken: { limit: 3, windowMs: 60_000 }, handoffCreate: { limit: 2, windowMs: 60_000 }, login: { limit: 2, windowMs: 60_000 } },
    });
    const a = await createDevice(app);
    const b = await createDevice(app);
    const third = await app.request('/api/v1/handoffs', json(validHandoff));
    expect(third.status).toBe(429);
    expect(Number(third.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await third.json()).toMatchObject({ error: { code: 'rate_limited' } });

    for (let i = 0; i < 3; i++) expect((await app.request(`/api/v1/conversations/${a.id}`, { headers: a.auth })).status).toBe(200);
    expect((await app.request(`/api/v1/conversations/${a.id}`, { headers: a.auth })).status).toBe(429);
    // Another token is not affected.
    expect((await app.request(`/api/v1/conversations/${b.id}`, { headers: b.auth })).status).toBe(200);

    const login = () => app.request('/api/v1/agent/login', json({ email: 'x@example.com', password: 'nope' }, { Origin: ORIGIN }));
    expect((await login()).status).toBe(401);
    expect((await login()).status).toBe(401);
    expect((await login()).status).toBe(429);

    // Each refusal is counted by the limit that refused it.
    const m = await scrape(app);
    expect(m.get('relay_rate_limited_total', { scope: 'handoff-create' })).toBe(1);
    expect(m.get('relay_rate_limited_total', { scope: 'conversation' })).toBe(1);
    expect(m.get('relay_rate_limited_total', { scope: 'login-ip' })).toBe(1);
  });
});
