import { describe, expect, it } from 'vitest';
import { deviceRelay } from './relay-client.ts';
import { RelayError } from '../net/relay-error.ts';

const ID = '6f1c2b7e-3d4a-4f5b-9c8d-1e2f3a4b5c6d';
const AT = '2025-01-01T12:00:00.000Z';
const conversation = { id: ID, state: 'pending', reason: { kind: 'keyword' }, summary: '', agent: null, createdAt: AT, updatedAt: AT, pendingSince: AT, slaDeadline: AT };

function fakeFetch(respond: (url: string, init: RequestInit) => Response | Promise<Response>) {
  const calls: { url: string; init: RequestInit }[] = [];
  const fetch: typeof globalThis.fetch = async (input, init = {}) => {
    const url = input instanceof Request ? input.url : input.toString();
    calls.push({ url, init });
    return respond(url, init);
  };
  return { calls, fetch };
}

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

describe('the device’s relay client', () => {
  it('creates a handoff and reads the answer through the shared schema', async () => {
    const f = fakeFetch(() => json({ conversation, token: 'tok', eventsUrl: `/api/v1/conversations/${ID}/events` }, 201));
    const relay = deviceRelay({ fetch: f.fetch });
    const created = await relay.createHandoff({ reason: { kind: 'keyword', detail: 'refund' } });
    expect(created.token).toBe('tok');
    expect(f.calls[0]?.url).toBe('/api/v1/handoffs');
    expect(f.calls[0]?.init.method).toBe('POST');
    expect(JSON.parse(f.calls[0]?.init.body as string)).toEqual({ reason: { kind: 'keyword', detail: 'refund' } });
    expect(f.calls[0]?.init.headers).toMatchObject({ 'content-type': 'application/json' });
  });

  it('sends the token as a bearer header', async () => {
    const f = fakeFetch(() => json({ event: {} }, 201));
    const relay = deviceRelay({ fetch: f.fetch, baseUrl: 'https://relay.example' });
    await relay.postMessage(ID, 'tok', { text: 'Hi', clientMessageId: 'm1' });
    expect(f.calls[0]?.url).toBe(`https://relay.example/api/v1/conversations/${ID}/messages`);
    expect(f.calls[0]?.init.headers).toMatchObject({ authorization: 'Bearer tok' });
  });

  it('opens the event stream with a new single-use ticket each time, never the token', async () => {
    let n = 0;
    const f = fakeFetch(() => {
      n += 1;
      const ticket = `ticket-${n}`;
      return json({ ticket, expiresAt: AT, eventsUrl: `/api/v1/conversations/${ID}/events?ticket=${ticket}` }, 201);
    });
    const relay = deviceRelay({ fetch: f.fetch, baseUrl: 'https://relay.example' });
    expect(await relay.streamUrl(ID, 'tok', null)).toBe(`https://relay.example/api/v1/conversations/${ID}/events?ticket=ticket-1`);
    expect(await relay.streamUrl(ID, 'tok', '42')).toBe(`https://relay.example/api/v1/conversations/${ID}/events?ticket=ticket-2&lastEventId=42`);
    expect(f.calls.map((c) => [c.url, c.init.method])).toEqual([
      [`https://relay.example/api/v1/conversations/${ID}/stream-ticket`, 'POST'],
      [`https://relay.example/api/v1/conversations/${ID}/stream-ticket`, 'POST'],
    ]);
    expect(f.calls[0]?.init.headers).toMatchObject({ authorization: 'Bearer tok' });
  });

  it('fails to open the stream when the relay refuses the ticket', async () => {
    const f = fakeFetch(() => json({ error: { code: 'not_found', message: 'No such conversation.' } }, 404));
    expect(await deviceRelay({ fetch: f.fetch }).streamUrl(ID, 'tok', null).catch((e: unknown) => e)).toMatchObject({ status: 404, retryable: false });
  });

  it('turns the relay’s JSON errors into RelayErrors with its code and message', async () => {
    const f = fakeFetch(() => json({ error: { code: 'invalid_state', message: 'The conversation is bot.' } }, 409));
    const error = await deviceRelay({ fetch: f.fetch }).postMessage(ID, 'tok', { text: 'x' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RelayError);
    expect(error).toMatchObject({ status: 409, code: 'invalid_state', message: 'The conversation is bot.', retryable: false });
  });

  it('says which failures are worth retrying', async () => {
    const offline = fakeFetch(() => Promise.reject(new TypeError('Failed to fetch')));
    const error = await deviceRelay({ fetch: offline.fetch }).cancel(ID, 'tok').catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 0, code: 'network', retryable: true });
    const busy = fakeFetch(() => new Response('upstream down', { status: 503 }));
    expect(await deviceRelay({ fetch: busy.fetch }).cancel(ID, 'tok').catch((e: unknown) => e)).toMatchObject({ status: 503, retryable: true });
  });

  it('keeps the relay’s Retry-After, so a retry waits as long as it asked', async () => {
    const limited = fakeFetch(() => new Response(JSON.stringify({ error: { code: 'rate_limited', message: 'Slow down.' } }), { status: 429, headers: { 'retry-after': '30' } }));
    const error = await deviceRelay({ fetch: limited.fetch }).postMessage(ID, 'tok', { text: 'x' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 429, code: 'rate_limited', retryable: true, retryAfterMs: 30_000 });
  });

  it('refuses an answer it does not understand', async () => {
    const f = fakeFetch(() => json({ conversation: { id: 'nope' } }));
    expect(await deviceRelay({ fetch: f.fetch }).cancel(ID, 'tok').catch((e: unknown) => e)).toMatchObject({ code: 'invalid_response' });
  });
});
