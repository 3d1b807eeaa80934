import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createApp } from '../app.ts';
import { resolveModels } from '../models/resolve-models.ts';
import { fakeDb } from '../test-support/fake-db.ts';
import { makeDist } from '../test-support/temp-dirs.ts';
import { readJson } from './body.ts';
import { errorHandler } from './errors.ts';

describe('errors', () => {
  it('answers unknown API routes with 404 JSON', async () => {
    const app = createApp({ db: fakeDb(), models: resolveModels(undefined), distDir: makeDist(), log: () => {} });
    for (const [method, path] of [['GET', '/api/v1/nope'], ['POST', '/api/v2/x'], ['DELETE', '/api/v1/health']] as const) {
      const res = await app.request(path, { method });
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(await res.json()).toMatchObject({ error: { code: 'not_found', message: expect.stringContaining(path) } });
    }
  });

  it('answers a thrown error with a 500 that leaks nothing', async () => {
    const logged: unknown[] = [];
    const app = new Hono();
    app.get('/boom', () => {
      throw new Error('SELECT secret FROM somewhere failed at /srv/relay/x.ts:12');
    });
    app.onError(errorHandler((_m, err) => logged.push(err)));
    const res = await app.request('/boom');
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(JSON.parse(text)).toEqual({ error: { code: 'internal', message: 'The relay failed to handle this request.' } });
    expect(text).not.toMatch(/secret|\.ts|at /);
    expect(logged).toHaveLength(1);
  });

  it('explains malformed JSON, wrong content types and invalid fields', async () => {
    const schema = z.object({ text: z.string().min(1), n: z.number().int() });
    const app = new Hono();
    app.post('/x', async (c) => c.json(await readJson(c, schema)));
    app.onError(errorHandler(() => {}));
    const post = (body: string, type = 'application/json') =>
      app.request('/x', { method: 'POST', body, headers: { 'Content-Type': type } });

    const malformed = await post('{"text": ');
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ error: { code: 'malformed_json' } });

    const form = await post('text=a', 'application/x-www-form-urlencoded');
    expect(form.status).toBe(415);

    const wrong = await post(JSON.stringify({ text: 5, n: 1.5 }));
    expect(wrong.status).toBe(400);
    const body = (await wrong.json()) as { error: { code: string; message: string; details: { path: string }[] } };
    expect(body.error.code).toBe('invalid_body');
    expect(body.error.message).toMatch(/at text/);
    expect(body.error.details.map((d) => d.path)).toEqual(['text', 'n']);

    const ok = await post(JSON.stringify({ text: 'a', n: 1 }), 'application/json; charset=utf-8');
    expect(ok.status).toBe(200);
  });

  it('refuses bodies over the limit with 413 JSON', async () => {
    const app = createApp({ db: fakeDb(), models: resolveModels(undefined), distDir: makeDist(), log: () => {}, maxBodyBytes: 1024 });
    const res = await app.request('/api/v1/health', {
      method: 'POST',
      body: 'x'.repeat(5000),
      headers: { 'Content-Type': 'application/json' },
    });
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ error: { code: 'body_too_large' } });
  });
});
