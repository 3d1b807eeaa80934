import { Hono, type Handler } from 'hono';
import { MetricsBatchSchema, SummaryQuerySchema } from '../../src/protocol/metrics.ts';
import { type AgentEnv, requireAgent } from '../agents/auth.ts';
import { validate } from '../http/body.ts';
import { clientIp } from '../http/client-ip.ts';
import { HttpError } from '../http/errors.ts';
import { rateLimit } from '../http/rate-limit.ts';
import { sameHash, hashToken } from '../http/tokens.ts';
import type { Services } from '../services.ts';
import { ingestTurns } from './ingest.ts';
import { metricsSummary } from './summary.ts';

const DAY = 24 * 60 * 60 * 1000;
/** The longest window one summary reads (the dashboard's longest is 30 days): its cost follows the window, not the table. */
export const MAX_SUMMARY_WINDOW_DAYS = 31;

/** `POST /metrics` (devices) and `GET /metrics/summary` (agents, also as `/agent/metrics/summary`), under `/api/v1`. */
export function metricsApiRoutes(s: Services): Hono<AgentEnv> {
  const app = new Hono<AgentEnv>();
  const limiter = s.limiter('metrics', s.limits.metrics);

  app.post('/metrics', rateLimit(limiter, (c) => clientIp(c, s.trustProxy), 'sending metrics from this address', (scope) => s.metrics.rateLimited(scope)), async (c) => {
    // sendBeacon with a string body sends text/plain; the body is JSON either way.
    const type = c.req.header('content-type') ?? '';
    if (!/^(application\/json|text\/plain)\s*(;|$)/i.test(type)) {
      throw new HttpError(415, 'unsupported_media_type', 'Send the batch as JSON (application/json or text/plain).');
    }
    let body: unknown;
    try {
      body = JSON.parse(await c.req.text());
    } catch {
      throw new HttpError(400, 'malformed_json', 'The request body is not valid JSON.');
    }
    const { turns } = validate(MetricsBatchSchema, body);
    return c.json(await ingestTurns(s.db, turns, s.now(), (stored) => s.metrics.turnsStored(stored)));
  });

  // Also under /agent/: the agent session cookie is scoped to /api/v1/agent, so that is the
  // path a browser (the dashboard) sends it on; /metrics/summary serves API clients.
  app.get('/metrics/summary', requireAgent(s.db, s.now), summaryHandler(s));
  app.get('/agent/metrics/summary', requireAgent(s.db, s.now), summaryHandler(s));

  return app;
}

function summaryHandler(s: Services): Handler<AgentEnv> {
  return async (c) => {
    const query = validate(SummaryQuerySchema, c.req.query(), 'query');
    const to = query.to ? new Date(query.to) : s.now();
    const from = query.from ? new Date(query.from) : new Date(to.getTime() - DAY);
    if (from >= to) throw new HttpError(400, 'invalid_query', '`from` must be before `to`.');
    if (to.getTime() - from.getTime() > MAX_SUMMARY_WINDOW_DAYS * DAY) {
      throw new HttpError(400, 'invalid_query', `Ask for at most ${MAX_SUMMARY_WINDOW_DAYS} days at a time.`);
    }
    if (query.bucket === '1m' && to.getTime() - from.getTime() > DAY) {
      throw new HttpError(400, 'invalid_query', 'Use a bucket of 5m or more for windows longer than a day.');
    }
    return c.json(await metricsSummary(s.db, from, to, query.bucket));
  };
}

/**
 * `GET /metrics` for Prometheus: this process's numbers (scrape every relay process and sum);
 * with `metricsToken` set, only with `Authorization: Bearer <token>`.
 */
export function prometheusRoutes(s: Services, metricsToken: string | undefined): Hono {
  return new Hono().get('/metrics', async (c) => {
    if (metricsToken) {
      const given = c.req.header('authorization')?.match(/^Bearer\s+(\S+)$/)?.[1] ?? '';
      if (!sameHash(hashToken(given), hashToken(metricsToken))) {
        c.header('WWW-Authenticate', 'Bearer');
        throw new HttpError(401, 'unauthorized', 'This endpoint needs the metrics token.');
      }
    }
    const text = await s.metrics.text();
    return c.body(text, 200, { 'Content-Type': s.metrics.contentType, 'Cache-Control': 'no-store' });
  });
}
