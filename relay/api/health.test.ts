import { describe, expect, it } from 'vitest';
import { HealthSchema } from '../../src/protocol/health.ts';
import { openPglite } from '../store/pglite.ts';
import { fakeDb } from '../test-support/fake-db.ts';
import { staticApp } from '../test-support/test-app.ts';

describe('GET /api/v1/health', () => {
  it('reports ok, the database kind and the version', async () => {
    const res = await staticApp({ db: fakeDb('postgres'), version: '1.2.3' }).request('/api/v1/health');
    expect(res.status).toBe(200);
    expect(HealthSchema.parse(await res.json())).toEqual({ status: 'ok', db: 'postgres', version: '1.2.3' });
  });

  it('answers 503 while the database is down', async () => {
    const db = fakeDb();
    db.up = false;
    const res = await staticApp({ db }).request('/api/v1/health');
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ status: 'degraded', db: 'pglite' });
  });

  it('checks a real embedded database', async () => {
    const db = await openPglite();
    const app = staticApp({ db });
    expect((await app.request('/api/v1/health')).status).toBe(200);
    await db.close();
    expect((await app.request('/api/v1/health')).status).toBe(503);
  });
});
