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

/** The most hits one lease claims: one statement per 100 requests already costs next to nothing. */
const MAX_LEASE = 100;

/**
 * How many hits one lease claims from the shared counter: a twentieth of the limit, at least
 * one, at most 100. Limits under 40 (logins: 10, handoff creation: 30) are leased one hit at a
 * time: exact. The cap bounds what one process can hold back from the others under huge limits
 * (and, should processes run with different limits for one scope, what a lease under the
 * larger one takes from the smaller).
 */
export function leaseBlock(limit: number): number {
  return Math.max(1, Math.min(MAX_LEASE, Math.floor(limit / 20)));
}

export interface SharedLimitsOptions {
  now?: () => number;
  /** Told when the database fails: the request is then let through (fail open) rather than refused. */
  log?: (message: string, err?: unknown) => void;
  /** Keys remembered per scope (leases, refusals); the least recently used is forgotten first. */
  maxKeys?: number;
}

/** One key's state in one process. */
interface KeyState {
  /** The fixed window the leased hits were counted in. */
  window: number;
  /** Hits leased (already counted in the database) and not yet served. */
  left: number;
  /** Refused until then: no more requests are let through before it, by any process. */
  deniedUntil: number;
  /** The lease being claimed; requests that find `left` empty wait for it rather than claim too. */
  claim?: Promise<'granted' | 'refused' | 'failed'>;
}

// One lease: adds min(block, what the sliding window still allows) to this window's row, at
// least 1, and says how many in `granted` (RETURNING sees only the new row). $6 is the weight of
// the previous window; the row lock on conflict makes concurrent leases through any number of
// processes add up to at most the limit.
const LEASE = `
  with prev as (
    select coalesce((select p.hits from rate_limit_hits p where p.scope = $1 and p.key = $2 and p.window_start = $4), 0) * $6::float8 as w
  )
  insert into rate_limit_hits as r (scope, key, window_start, hits, granted, expires_at)
  select $1, $2, $3, g, g, $5
  from (select least($8::float8, floor($7::float8 - (select w from prev)))::int as g) lease
  where g >= 1
  on conflict (scope, key, window_start) do update
    set hits = r.hits + least($8::float8, floor($7::float8 - r.hits - (select w from prev)))::int,
        granted = least($8::float8, floor($7::float8 - r.hits - (select w from prev)))::int
    where r.hits + 1 + (select w from prev) <= $7::float8
  returning r.granted`;

/**
 * Rate limits shared by every relay process on one PostgreSQL (table `rate_limit_hits`,
 * migrations 006 and 010): N relays behind a load balancer allow the limit once, not N times.
 *
 * A sliding window, counted per fixed window: a request is allowed when the previous window's
 * hits, weighted by how much of it still overlaps the last `windowMs`, plus this window's hits,
 * stay within the limit. The table is unlogged (no WAL, no fsync per request: it holds nothing
 * worth keeping across a crash), and rows two windows old are deleted now and then.
 *
 * Leases, so that a request seldom waits for the database: a process claims hits for a key in
 * blocks of `leaseBlock(limit)` (limit / 20, 1 to 100) with one atomic upsert that adds them to
 * this window's row only as far as the limit allows (near it, only what remains; none past it),
 * then serves them from memory until they run out or the window ends (leftovers are dropped and
 * stay counted). Concurrent requests for a key in one process wait for one claim. A refusal is
 * remembered until its Retry-After: hits are never given back, so no process could allow a
 * request before then.
 *
 * The trade-off: hits are counted before they are served, so no overshoot, the limit holds
 * exactly however many processes (as it did with one statement per request); instead hits leased
 * by one process are not available to the others, so with N processes a key can be refused by
 * one of them while the others still hold up to (N - 1) * (block - 1) unused hits (at most
 * (N - 1) * 5 % of the limit; none for limits under 40), and hits left unused when a window ends
 * still count against the key. Steady traffic from one key costs one statement per block (the
 * 600-a-minute address limit: one in 30 requests) instead of one per request.
 */
export function sharedLimits(db: Queryable, options: SharedLimitsOptions = {}): LimiterFactory {
  const now = options.now ?? Date.now;
  const log = options.log ?? (() => {});
  const maxKeys = options.maxKeys ?? 50_000;
  let lastPrune = 0;
  const prune = (at: number) => {
    if (at - lastPrune < PRUNE_EVERY_MS) return;
    lastPrune = at;
    db.query(
      `delete from rate_limit_hits where ctid = any(array(select ctid from rate_limit_hits where expires_at < $1 limit 10000))`,
      [new Date(at)],
    ).catch((err: unknown) => log('pruning rate_limit_hits failed', err));
  };

  return (scope, rule) => {
    const W = rule.windowMs;
    const L = rule.limit;
    const block = leaseBlock(L);
    const keys = new Map<string, KeyState>();

    const claim = async (key: string, state: KeyState, at: number, start: number): Promise<'granted' | 'refused' | 'failed'> => {
      // How much of the previous window still lies inside the last W milliseconds.
      const weight = 1 - (at - start) / W;
      prune(at);
      try {
        const params = [scope, key, new Date(start), new Date(start - W), new Date(start + 2 * W), weight, L, block];
        const { rows } = await db.query<{ granted: number }>(LEASE, params, { name: 'relay_rate_limit_lease' });
        const granted = rows[0]?.granted ?? 0;
        if (granted > 0) {
          if (state.window === start) state.left += granted;
          return 'granted';
        }
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
        state.deniedUntil = at + Math.max(1, Math.ceil(wait));
        return 'refused';
      } catch (err) {
        log(`rate limit ${scope}: the database failed, request let through`, err);
        return 'failed';
      }
    };

    return {
      scope,
      async take(key) {
        let state = keys.get(key);
        if (state) {
          keys.delete(key); // re-insert: Map order then tracks recency for eviction
        } else {
          state = { window: Number.NaN, left: 0, deniedUntil: 0 };
          if (keys.size >= maxKeys) {
            const oldest = keys.keys().next().value;
            if (oldest !== undefined) keys.delete(oldest); // its unused lease stays counted: only stricter
          }
        }
        keys.set(key, state);
        for (;;) {
          const at = now();
          if (at < state.deniedUntil) return state.deniedUntil - at;
          const start = Math.floor(at / W) * W;
          if (state.window !== start) {
            state.window = start;
            state.left = 0;
          }
          if (state.left > 0) {
            state.left--;
            return 0;
          }
          const s = state;
          s.claim ??= claim(key, s, at, start).finally(() => (s.claim = undefined));
          // Granted: take one of the lease (or claim again if others took it first); refused:
          // deniedUntil is set; failed: every request that waited on it is let through.
          if ((await s.claim) === 'failed') return 0;
        }
      },
    };
  };
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
