import type { MiddlewareHandler } from 'hono';
import { matchedRoutes } from 'hono/route';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { ModelSet } from '../../src/protocol/model-set.ts';
import { HANDOFF_REASON_KINDS } from '../../src/protocol/conversation.ts';
import { END_OF_TURN_REASONS } from '../../src/protocol/metrics.ts';
import type { Queryable, PoolStats } from '../store/types.ts';
import type { StoredTurn } from './ingest.ts';
import { BACKENDS, BoundedLabel, knownModelIds } from './labels.ts';

// The relay's Prometheus metrics, the way Prometheus expects them: each relay process counts
// what it did itself (turns ingested, handoffs, requests, open streams) in memory, and
// `/metrics` reports that process's numbers; Prometheus scrapes every process and sums them
// (README: "Prometheus"). Only the conversation-state gauges are read from the database at
// scrape time, with queries bounded by the number of open conversations (partial indexes).

const DURATION_BUCKETS_S = [0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1, 1.5, 2, 3, 5, 10, 30];
const TPS_BUCKETS = [1, 2, 5, 10, 20, 50, 100, 200, 500];
const HTTP_BUCKETS_S = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

export type StreamKind = 'device' | 'agent';

let processRegistry: Registry | undefined;

/**
 * Node's own metrics (process_cpu_seconds_total, resident memory, heap, event loop lag, GC, open
 * handles), collected once per process whatever the number of apps in it (tests make many).
 */
export function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

export interface RelayMetricsOptions {
  /** Conversation-state gauges are read here at scrape time; pool use too, where it has a pool. */
  db: Queryable & { poolStats?(): PoolStats };
  now?: () => Date;
  /** The model sets this relay serves (a mirror's `model-set.json`), known besides the catalogue. */
  modelSets?: readonly ModelSet[];
  log?: (message: string, err?: unknown) => void;
}

/**
 * The registered pattern of the handler that answered (`/api/v1/conversations/:id`), never the
 * raw path: a middleware's pattern when it refused the request (`/api/v1/*` for the per-address
 * limit), `unmatched` for a 404 that no route handled.
 */
function routeOf(c: Parameters<MiddlewareHandler>[0], status: number): string {
  const route = matchedRoutes(c)[c.req.routeIndex];
  if (!route || (route.method === 'ALL' && status === 404)) return 'unmatched';
  return route.path;
}

export class RelayMetrics {
  readonly registry = new Registry();
  readonly models: BoundedLabel;
  readonly backends = new BoundedLabel(BACKENDS);

  readonly #stageSeconds: Histogram<'stage' | 'model' | 'backend'>;
  readonly #tokensPerSecond: Histogram<'stage' | 'model' | 'backend'>;
  readonly #turns: Counter<'source' | 'interrupted'>;
  readonly #commits: Counter<'reason'>;
  readonly #eager: Counter<'outcome'>;
  readonly #handoffs: Counter<'reason'>;
  readonly #streams: Gauge<'kind'>;
  readonly #requests: Counter<'method' | 'route' | 'status'>;
  readonly #requestSeconds: Histogram<'method' | 'route'>;
  readonly #rateLimited: Counter<'scope'>;
  readonly #pruned: Counter;

  constructor(options: RelayMetricsOptions) {
    const { db } = options;
    const now = options.now ?? (() => new Date());
    const log = options.log ?? (() => {});
    const registers = [this.registry];
    this.models = new BoundedLabel(knownModelIds(options.modelSets));

    this.#stageSeconds = new Histogram({
      name: 'relay_turn_stage_duration_seconds',
      help: "Turn stage durations reported by devices to this relay; stage voiceToVoice runs from the user's last speech frame to the first reply audio heard (voiceToVoiceFromSpeechEnd: older apps, from the end of the silence wait). model and backend: known ids only, others are `other`.",
      labelNames: ['stage', 'model', 'backend'],
      buckets: DURATION_BUCKETS_S,
      registers,
    });
    this.#tokensPerSecond = new Histogram({
      name: 'relay_llm_tokens_per_second',
      help: 'LLM decoding speed reported by devices to this relay.',
      labelNames: ['stage', 'model', 'backend'],
      buckets: TPS_BUCKETS,
      registers,
    });
    this.#turns = new Counter({ name: 'relay_turns_total', help: 'Turns reported by devices and stored by this relay (duplicates not counted).', labelNames: ['source', 'interrupted'], registers });
    this.#commits = new Counter({
      name: 'relay_turn_commits_total',
      help: "Turns by what ended the user's turn (turn-model, silence, text; unknown from older apps).",
      labelNames: ['reason'],
      registers,
    });
    this.#eager = new Counter({ name: 'relay_eager_replies_total', help: "Eager replies (started before the end of the user's turn), by outcome.", labelNames: ['outcome'], registers });
    this.#handoffs = new Counter({ name: 'relay_handoffs_total', help: 'Handoffs to a human agent requested through this relay, by reason.', labelNames: ['reason'], registers });
    this.#streams = new Gauge({ name: 'relay_sse_streams', help: 'Event streams (SSE) open on this relay: device (one conversation) or agent (the dashboard).', labelNames: ['kind'], registers });
    this.#requests = new Counter({ name: 'relay_http_requests_total', help: 'HTTP requests answered by this relay, by method, matched route and status.', labelNames: ['method', 'route', 'status'], registers });
    this.#requestSeconds = new Histogram({
      name: 'relay_http_request_duration_seconds',
      help: 'Time to the response headers (an event stream counts until it starts), by method and matched route.',
      labelNames: ['method', 'route'],
      buckets: HTTP_BUCKETS_S,
      registers,
    });
    this.#rateLimited = new Counter({ name: 'relay_rate_limited_total', help: 'Requests refused with 429 by a rate limit, by limit.', labelNames: ['scope'], registers });
    this.#pruned = new Counter({ name: 'relay_turn_metrics_pruned_total', help: 'Stored turns deleted by this relay because they were older than the retention period.', registers });

    // Series that exist from the start, so rate() and absent() see zeros rather than nothing.
    for (const reason of [...END_OF_TURN_REASONS, 'unknown']) this.#commits.inc({ reason }, 0);
    for (const outcome of ['started', 'kept', 'discarded']) this.#eager.inc({ outcome }, 0);
    for (const reason of HANDOFF_REASON_KINDS) this.#handoffs.inc({ reason }, 0);
    for (const kind of ['device', 'agent']) this.#streams.set({ kind }, 0);

    new Gauge({
      name: 'relay_conversations',
      help: 'Open handoff conversations by state (pending: waiting for an agent; assigned: with one), read from the database at scrape time: the same on every relay of one database.',
      labelNames: ['state'],
      registers,
      async collect() {
        try {
          const { rows } = await db.query<{ pending: number; assigned: number }>(
            `select (select count(*) from conversations where state = 'pending')::int as pending,
                    (select count(*) from conversations where state = 'assigned')::int as assigned`,
          );
          this.set({ state: 'pending' }, Number(rows[0]?.pending ?? 0));
          this.set({ state: 'assigned' }, Number(rows[0]?.assigned ?? 0));
        } catch (err) {
          this.reset();
          log('reading conversation states for /metrics failed', err);
        }
      },
    });
    new Gauge({
      name: 'relay_oldest_pending_handoff_seconds',
      help: 'How long the longest-waiting pending handoff has waited for an agent (0: none waiting), read from the database at scrape time.',
      registers,
      async collect() {
        try {
          const { rows } = await db.query<{ since: Date | string | null }>(`select min(pending_since) as since from conversations where state = 'pending'`);
          const since = rows[0]?.since;
          this.set(since ? Math.max(0, (now().getTime() - new Date(since).getTime()) / 1000) : 0);
        } catch (err) {
          this.reset();
          log('reading pending handoffs for /metrics failed', err);
        }
      },
    });
    const poolStats = db.poolStats?.bind(db);
    if (poolStats) {
      new Gauge({
        name: 'relay_db_pool_connections',
        help: "This relay's PostgreSQL connections by state (in_use, idle), and the pool's max.",
        labelNames: ['state'],
        registers,
        collect() {
          const p = poolStats();
          this.set({ state: 'in_use' }, p.total - p.idle);
          this.set({ state: 'idle' }, p.idle);
          this.set({ state: 'max' }, p.max);
        },
      });
      new Gauge({
        name: 'relay_db_pool_waiting',
        help: 'Queries of this relay waiting for a free PostgreSQL connection.',
        registers,
        collect() {
          this.set(poolStats().waiting);
        },
      });
    }
  }

  /** Counts newly stored turns (called once they are committed). */
  turnsStored(turns: readonly StoredTurn[]): void {
    for (const turn of turns) {
      this.#turns.inc({ source: turn.source, interrupted: String(turn.interrupted) });
      this.#commits.inc({ reason: turn.endOfTurn ?? 'unknown' });
      if (turn.eager) {
        this.#eager.inc({ outcome: 'started' }, turn.eager.started);
        this.#eager.inc({ outcome: 'kept' }, turn.eager.kept);
        this.#eager.inc({ outcome: 'discarded' }, turn.eager.discarded);
      }
      for (const v of turn.values) {
        const labels = { stage: v.stage, model: this.models.of(v.model), backend: this.backends.of(v.backend) };
        if (v.stage === 'tokensPerSecond') this.#tokensPerSecond.observe(labels, v.value);
        else if (v.value >= 0) this.#stageSeconds.observe(labels, v.value / 1000);
      }
    }
  }

  handoff(reason: string): void {
    this.#handoffs.inc({ reason: (HANDOFF_REASON_KINDS as readonly string[]).includes(reason) ? reason : 'other' });
  }

  /** Counts an open event stream; call the returned function when it closes. */
  streamOpened(kind: StreamKind): () => void {
    this.#streams.inc({ kind });
    let open = true;
    return () => {
      if (open) this.#streams.dec({ kind });
      open = false;
    };
  }

  rateLimited(scope: string): void {
    this.#rateLimited.inc({ scope });
  }

  turnsPruned(count: number): void {
    this.#pruned.inc(count);
  }

  /** Middleware counting each request by method, matched route and status. */
  http(): MiddlewareHandler {
    return async (c, next) => {
      const start = performance.now();
      let failed = false;
      try {
        await next();
      } catch (err) {
        failed = true;
        throw err;
      } finally {
        const method = METHODS.has(c.req.method) ? c.req.method : 'other';
        const status = failed ? 500 : c.res.status;
        const route = routeOf(c, status);
        this.#requests.inc({ method, route, status: String(status) });
        this.#requestSeconds.observe({ method, route }, (performance.now() - start) / 1000);
      }
    };
  }

  /** The exposition: this process's Node metrics, then the relay's. */
  async text(): Promise<string> {
    // prom-client writes NaN (an event loop histogram with no sample yet) as `Nan`; the format says `NaN`.
    return `${await processMetrics().metrics()}${await this.registry.metrics()}`.replace(/ Nan$/gm, ' NaN');
  }

  readonly contentType = this.registry.contentType;
}
