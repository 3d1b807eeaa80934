import type { Context, MiddlewareHandler } from 'hono';
import type { Queryable } from '../store/types.ts';
import { HttpError } from './errors.ts';

export interface RateLimit {
  /** Requests allowed per window. */
  limit: number;
  windowMs: number;
}

/** One limit (per IP, per token, ...) applied to many keys. */
export interface Limiter {
  /** What it limits (`api`, `login-ip`, ...): its name in `relay_rate_limited_total`. */
  readonly scope: string;
  /** Takes one request from `key`'s allowance: 0 when allowed, else the ms until one will be. */
  take(key: string): number | Promise<number>;
}

/** Makes the limiter of one scope: in memory on the embedded database, shared on PostgreSQL. */
export type LimiterFactory = (scope: string, rule: RateLimit) => Limiter;

/**
 * Token buckets in memory, one per key (an IP, a token): the limiter of a single process (the
 * embedded database allows one relay process anyway). The map is bounded so a flood of
 * distinct keys cannot exhaust memory.
 */
export class RateLimiter implements Limiter {
  #buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly rule: RateLimit,
    private readonly now: () => number = Date.now,
    private readonly maxKeys = 50_000,
    readonly scope = 'memory',
  ) {}

  take(key: string): number {
    const now = this.now();
    const rate = this.rule.limit / this.rule.windowMs;
    const bucket = this.#buckets.get(key);
    const tokens = bucket ? Math.min(this.rule.limit, bucket.tokens + (now - bucket.at) * rate) : this.rule.limit;
    if (tokens < 1) {
      this.#buckets.set(key, { tokens, at: now });
      return Math.ceil((1 - tokens) / rate);
    }
    this.#buckets.delete(key); // re-insert: Map order then tracks recency for eviction
    this.#buckets.set(key, { tokens: tokens - 1, at: now });
    if (this.#buckets.size > this.maxKeys) {
      const oldest = this.#buckets.keys().next().value;
      if (oldest !== undefined) this.#buckets.delete(oldest);
    }
    return 0;
  }
}

/** How often (at most) a process deletes expired rows of `rate_limit_hits`. */
const PRUNE_EVERY_MS = 60_000;

export interface SharedLimitsOptions {
  now?: () => number;
  /** Told when the database fails: the request is then let through (fail open) rather than refused. */
  log?: (message: string, err?: unknown) => void;
}

/**
 * Rate limits shared by every relay process on one PostgreSQL (table `rate_limit_hits`,
 * migration 006): N relays behind a load balancer allow the limit once, not N times.
 *
 * A sliding window, counted per fixed window: a request is allowed when the previous window's
 * hits, weighted by how much of it still overlaps the last `windowMs`, plus this window's hits,
 * stay within the limit. One statement per request: an atomic upsert that increments this
 * window's row only while the request is allowed (row lock on conflict), so concurrent
 * requests through any number of processes never pass the limit together, and refused
 * requests do not count. The table is unlogged (no WAL, no fsync per request: it holds
 * nothing worth keeping across a crash), and rows two windows old are deleted now and then.
 */
export function sharedLimits(db: Queryable, options: SharedLimitsOptions = {}): LimiterFactory {
  const now = options.now ?? Date.now;
  const log = options.log ?? (() => {});
  let lastPrune = 0;
  const prune = (at: number) => {
    if (at - lastPrune < PRUNE_EVERY_MS) return;
    lastPrune = at;
    db.query(
      `delete from rate_limit_hits where ctid = any(array(select ctid from rate_limit_hits where expires_at < $1 limit 10000))`,
      [new Date(at)],
    ).catch((err: unknown) => log('pruning rate_limit_hits failed', err));
  };

  return (scope, rule) => ({
    scope,
    async take(key) {
      const at = now();
      const W = rule.windowMs;
      const L = rule.limit;
      const start = Math.floor(at / W) * W;
      // How much of the previous window still lies inside the last W milliseconds.
      const weight = 1 - (at - start) / W;
      prune(at);
      try {
        const params = [scope, key, new Date(start), new Date(start - W), new Date(start + 2 * W), weight, L];
        const { rows } = await db.query<{ hits: number }>(
          `insert into rate_limit_hits as r (scope, key, window_start, hits, expires_at)
           select $1, $2, $3, 1, $5
           where coalesce((select p.hits from rate_limit_hits p where p.scope = $1 and p.key = $2 and p.window_start = $4), 0) * $6::float8 + 1 <= $7
           on conflict (scope, key, window_start) do update set hits = r.hits + 1
           where r.hits + 1 + coalesce((select p.hits from rate_limit_hits p where p.scope = $1 and p.key = $2 and p.window_start = $4), 0) * $6::float8 <= $7
           returning r.hits`,
          params,
        );
        if (rows.length > 0) return 0;
        const counts = await db.query<{ current: number; previous: number }>(
          `select coalesce(max(hits) filter (where window_start = $3), 0)::int as current,
                  coalesce(max(hits) filter (where window_start = $4), 0)::int as previous
           from rate_limit_hits where scope = $1 and key = $2 and window_start in ($3, $4)`,
          [scope, key, new Date(start), new Date(start - W)],
        );
        const { current: h, previous: p } = counts.rows[0] ?? { current: 0, previous: 0 };
        const wait =
          h + 1 > L
            ? // Full this window: wait for the next, until this window's weight has fallen enough.
              start + W - at + W * Math.max(0, 1 - (L - 1) / Math.max(h, 1))
            : // The previous window still weighs too much: wait until it has slid far enough.
              start + W * Math.max(0, 1 - (L - h - 1) / Math.max(p, 1)) - at;
        return Math.max(1, Math.ceil(wait));
      } catch (err) {
        log(`rate limit ${scope}: the database failed, request let through`, err);
        return 0;
      }
    },
  });
}

/** In-memory limiters, one per scope (the embedded database: one process). */
export function memoryLimits(now: () => number = Date.now): LimiterFactory {
  return (scope, rule) => new RateLimiter(rule, now, 50_000, scope);
}

/**
 * Middleware: 429 `rate_limited` with Retry-After once `keyOf(c)`'s allowance is used up (no
 * key: not limited); `onLimited` is told the limiter's scope (for `relay_rate_limited_total`).
 */
export function rateLimit(
  limiter: Limiter,
  keyOf: (c: Context) => string | null | undefined,
  what: string,
  onLimited?: (scope: string) => void,
): MiddlewareHandler {
  return async (c, next) => {
    const key = keyOf(c);
    if (key) {
      const waitMs = await limiter.take(key);
      if (waitMs > 0) {
        onLimited?.(limiter.scope);
        c.header('Retry-After', String(Math.ceil(waitMs / 1000)));
        throw new HttpError(429, 'rate_limited', `Too many requests ${what}; retry in ${Math.ceil(waitMs / 1000)} s.`);
      }
    }
    await next();
  };
}
