import type { EventBus } from './handoff/event-bus.ts';
import type { HandoffContext } from './handoff/conversations.ts';
import type { LimiterFactory, RateLimit } from './http/rate-limit.ts';
import type { RelayMetrics } from './metrics/registry.ts';
import type { Db } from './store/types.ts';

/** Rate limits per key; defaults in app.ts. */
export interface Limits {
  /** Every API request, per client IP. */
  perIp: RateLimit;
  /** Device requests, per conversation token. */
  perToken: RateLimit;
  /** New handoffs, per client IP. */
  handoffCreate: RateLimit;
  /** Login attempts, per client IP and per email. */
  login: RateLimit;
  /** Metrics batches, per client IP. */
  metrics: RateLimit;
}

/** What route modules share, built once by createApp. */
export interface Services {
  db: Db;
  bus: EventBus;
  handoff: HandoffContext;
  now: () => Date;
  limits: Limits;
  /** Makes each route's limiter: shared through PostgreSQL, or in memory on the embedded database. */
  limiter: LimiterFactory;
  trustProxy: boolean;
  allowedOrigins: string[];
  shutdown?: AbortSignal | undefined;
  heartbeatMs?: number | undefined;
  /** This process's Prometheus metrics. */
  metrics: RelayMetrics;
}
