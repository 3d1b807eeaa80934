import type { Context, MiddlewareHandler } from 'hono';
import { HttpError } from './errors.ts';

export interface RateLimit {
  /** Requests allowed per window. */
  limit: number;
  windowMs: number;
}

/**
 * Token buckets in memory, one per key (an IP, a token). Per process: behind several relays
 * each enforces its own share, which is enough to stop a runaway client or a brute force.
 * The map is bounded so a flood of distinct keys cannot exhaust memory.
 */
export class RateLimiter {
  #buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly rule: RateLimit,
    private readonly now: () => number = Date.now,
    private readonly maxKeys = 50_000,
  ) {}

  /** Takes one token; returns 0 when allowed, else the ms until the next token. */
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

/** Middleware: 429 `rate_limited` with Retry-After once `keyOf(c)`'s bucket is empty (no key: not limited). */
export function rateLimit(limiter: RateLimiter, keyOf: (c: Context) => string | null | undefined, what: string): MiddlewareHandler {
  return async (c, next) => {
    const key = keyOf(c);
    if (key) {
      const waitMs = limiter.take(key);
      if (waitMs > 0) {
        c.header('Retry-After', String(Math.ceil(waitMs / 1000)));
        throw new HttpError(429, 'rate_limited', `Too many requests ${what}; retry in ${Math.ceil(waitMs / 1000)} s.`);
      }
    }
    await next();
  };
}
