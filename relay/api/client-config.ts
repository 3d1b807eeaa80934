import { Hono } from 'hono';
import type { ClientConfig } from '../../src/protocol/model-set.ts';

/** What the app asks first: where its models come from and which ones to load. */
export function clientConfigRoutes(config: ClientConfig): Hono {
  return new Hono().get('/client-config', (c) => {
    // Revalidate each start: switching MODELS must take effect without clearing caches.
    c.header('Cache-Control', 'no-cache');
    return c.json(config);
  });
}
