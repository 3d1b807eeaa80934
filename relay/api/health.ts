import { Hono } from 'hono';
import type { Health } from '../../src/protocol/health.ts';
import type { Db } from '../store/types.ts';

/** Liveness plus the one dependency that matters: 503 while the database does not answer. */
export function healthRoutes(db: Db, version: string): Hono {
  return new Hono().get('/health', async (c) => {
    const ok = await db.ping();
    const body: Health = { status: ok ? 'ok' : 'degraded', db: db.kind, version };
    c.header('Cache-Control', 'no-store');
    return c.json(body, ok ? 200 : 503);
  });
}
