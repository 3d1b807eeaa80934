import { Hono, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { agentAccountRoutes } from './agents/routes.ts';
import { clientConfigRoutes } from './api/client-config.ts';
import { healthRoutes } from './api/health.ts';
import { openApiRoutes } from './api/openapi.ts';
import { agentHandoffRoutes } from './handoff/agent-routes.ts';
import { deviceRoutes } from './handoff/device-routes.ts';
import { EventBus } from './handoff/event-bus.ts';
import { clientIp } from './http/client-ip.ts';
import { RelayMetrics } from './metrics/registry.ts';
import { metricsApiRoutes, prometheusRoutes } from './metrics/routes.ts';
import { errorBody, errorHandler, HttpError } from './http/errors.ts';
import { apiCors, sameOriginWrites } from './http/origins.ts';
import { memoryLimits, rateLimit, sharedLimits } from './http/rate-limit.ts';
import { rawPathGuard } from './http/raw-path-guard.ts';
import { securityHeaders } from './http/security.ts';
import type { ModelsConfig } from './models/resolve-models.ts';
import type { Limits, Services } from './services.ts';
import { compress } from 'hono/compress';
import { serveApp } from './static/serve-app.ts';
import { serveModels } from './static/serve-models.ts';
import type { Db } from './store/types.ts';

export interface AppDeps {
  db: Db;
  models: ModelsConfig;
  /** The built app (`dist/`). */
  distDir: string;
  version?: string;
  /** Extra CSP `connect-src` sources. */
  extraConnectSrc?: string[];
  /** Largest body of an ordinary API request, in bytes (handoffs with transcripts may be 8x this). */
  maxBodyBytes?: number;
  /** Origins besides our own allowed to call the API (CORS). */
  allowedOrigins?: string[];
  trustProxy?: boolean;
  /** Seconds a handoff waits for an agent before it returns to the assistant. */
  handoffSlaSeconds?: number;
  limits?: Partial<Limits>;
  /** The one clock (tests move it to expire SLAs). */
  now?: () => Date;
  /** Ends open SSE streams when the relay shuts down. */
  shutdown?: AbortSignal;
  heartbeatMs?: number;
  bus?: EventBus;
  /** Bearer token required on `/metrics` (Prometheus); unset leaves it open. */
  metricsToken?: string | undefined;
  /**
   * Rate limits shared by every relay on the database (PostgreSQL), or kept in this process;
   * default: shared on PostgreSQL, in memory on the embedded database (one process).
   */
  sharedLimits?: boolean;
  /** This process's Prometheus metrics (main.ts shares them with the retention task); made here when absent. */
  metrics?: RelayMetrics;
  log?: (message: string, err?: unknown) => void;
}

const MINUTE = 60_000;
export const DEFAULT_LIMITS: Limits = {
  perIp: { limit: 600, windowMs: MINUTE },
  perToken: { limit: 120, windowMs: MINUTE },
  handoffCreate: { limit: 30, windowMs: MINUTE },
  login: { limit: 10, windowMs: MINUTE },
  metrics: { limit: 120, windowMs: MINUTE },
};

const defaultLog = (message: string, err?: unknown) => console.error(`[relay] ${message}`, err ?? '');

/** Handoffs carry a transcript and metrics come in batches; everything else is small. */
function bodyLimits(maxBytes: number): MiddlewareHandler {
  const onError = () => {
    throw new HttpError(413, 'body_too_large', 'The request body is too large.');
  };
  const small = bodyLimit({ maxSize: maxBytes, onError });
  const large = bodyLimit({ maxSize: maxBytes * 8, onError });
  return (c, next) => (/\/(handoffs?|metrics)$/.test(c.req.path) ? large(c, next) : small(c, next));
}

/** The whole relay as a fetch handler: tests call `app.request()`, main.ts serves it on a socket. */
export function createApp(deps: AppDeps): Hono {
  const log = deps.log ?? defaultLog;
  const now = deps.now ?? (() => new Date());
  const allowedOrigins = deps.allowedOrigins ?? [];
  const trustProxy = deps.trustProxy ?? false;
  const services: Services = {
    db: deps.db,
    bus: deps.bus ?? new EventBus(deps.db),
    handoff: { db: deps.db, now, slaMs: (deps.handoffSlaSeconds ?? 120) * 1000 },
    now,
    limits: { ...DEFAULT_LIMITS, ...deps.limits },
    limiter: (deps.sharedLimits ?? deps.db.kind === 'postgres') ? sharedLimits(deps.db, { log }) : memoryLimits(),
    trustProxy,
    allowedOrigins,
    shutdown: deps.shutdown,
    heartbeatMs: deps.heartbeatMs,
    metrics: deps.metrics ?? new RelayMetrics({ db: deps.db, now, modelSets: deps.models.clientConfig.modelSets, log }),
  };

  const app = new Hono();
  app.use('*', services.metrics.http());
  app.use('*', securityHeaders({ extraConnectSrc: deps.extraConnectSrc ?? [] }));
  app.use('*', rawPathGuard());

  const api = new Hono();
  api.use('*', apiCors(allowedOrigins));
  const limited = (scope: string) => services.metrics.rateLimited(scope);
  api.use('*', rateLimit(services.limiter('api', services.limits.perIp), (c) => `ip:${clientIp(c, trustProxy)}`, 'from this address', limited));
  api.use('*', bodyLimits(deps.maxBodyBytes ?? 64 * 1024));
  api.use('/agent/*', sameOriginWrites(allowedOrigins, trustProxy));
  api.route('/', healthRoutes(deps.db, deps.version ?? '0.0.0'));
  api.route('/', clientConfigRoutes(deps.models.clientConfig));
  api.route('/', openApiRoutes(deps.version));
  api.route('/', deviceRoutes(services));
  api.route('/agent', agentAccountRoutes(services));
  api.route('/agent', agentHandoffRoutes(services));
  api.route('/', metricsApiRoutes(services));
  app.route('/api/v1', api);
  app.all('/api/*', (c) => {
    throw new HttpError(404, 'not_found', `No API route ${c.req.method} ${c.req.path}.`);
  });

  app.route('/', prometheusRoutes(services, deps.metricsToken));
  app.get('/models/*', serveModels(deps.models.mirrorDir, '/models'));
  // serveApp sends the build's precompressed copies (brotli, gzip: tools/vite/precompress.ts);
  // compress() covers what has none (a build without them, small files). Models pass untouched.
  app.get('*', compress({ contentTypeFilter: /^(text\/(html|css|javascript)|application\/(javascript|json|manifest\+json)|image\/svg\+xml)/ }), serveApp(deps.distDir));

  app.notFound((c) => c.json(errorBody('not_found', `Nothing at ${c.req.method} ${c.req.path}.`), 404));
  app.onError(errorHandler(log));
  return app;
}
