// Trying again after a failure, one way for the whole app and its tools: exponential backoff
// (doubling from a base, up to a cap), optionally with jitter so that clients cut off together
// do not come back together, and never sooner than a server's `Retry-After` asked. Plain
// timers and AbortSignal only: it runs in the browser, in workers and in Node.

export interface Backoff {
  /** Wait after the first failure; doubled after each further one. */
  baseMs: number;
  /** The longest wait (default: no cap). */
  maxMs?: number;
  /**
   * `none`: exactly the exponential delay. `equal`: a random point in its upper half (half of it
   * fixed, half random), so a crowd of clients spreads out but none retries at once.
   */
  jitter?: 'none' | 'equal';
  /** [0, 1), for tests. */
  random?: () => number;
}

/** The wait after the `failures`th failure in a row (1 for the first). */
export function backoffDelay(failures: number, backoff: Backoff): number {
  const exp = backoff.baseMs * 2 ** Math.max(0, failures - 1);
  const capped = Math.min(backoff.maxMs ?? Infinity, exp);
  if (backoff.jitter !== 'equal') return capped;
  return capped * (0.5 + (backoff.random ?? Math.random)() * 0.5);
}

/**
 * A `Retry-After` header in milliseconds: delay-seconds (`120`) or an HTTP date (`Wed, 21 Oct
 * 2015 07:28:00 GMT`, counted from `now`); undefined when absent or unreadable.
 */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | undefined {
  if (value === null || value === undefined) return undefined;
  const text = value.trim();
  if (text === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text) * 1000;
  // An HTTP date names its weekday and month; anything else (`-5`) is not one.
  const at = /[a-z]/i.test(text) ? Date.parse(text) : NaN;
  return Number.isFinite(at) ? Math.max(0, at - now) : undefined;
}

/** The `Retry-After` of a response (429, 503), in milliseconds. */
export function retryAfterOf(response: { headers?: Pick<Headers, 'get'> | undefined }, now?: number): number | undefined {
  return parseRetryAfter(response.headers?.get('retry-after'), now);
}

/** The server's wait an error carries (`retryAfterMs`, set from its response's `Retry-After`). */
export function retryAfterMsOf(error: unknown): number | undefined {
  const value = (error as { retryAfterMs?: unknown } | null | undefined)?.retryAfterMs;
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}

/** The wait before the next try: the backoff, or the server's `Retry-After` when that is longer. */
export function retryDelay(failures: number, backoff: Backoff, retryAfterMs?: number): number {
  return Math.max(backoffDelay(failures, backoff), retryAfterMs ?? 0);
}

/** Resolves after `ms`, or rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(abortReason(signal));
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(abortReason(signal as AbortSignal));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('The operation was aborted', 'AbortError');
}

export interface RetryOptions extends Backoff {
  /** Tries in all, the first included. */
  attempts: number;
  /** Whether a failure is worth another try (default: every failure is). */
  retryable?: (error: unknown) => boolean;
  /** Stops waiting and trying: the abort reason is thrown. */
  signal?: AbortSignal;
  /** Told before each wait. */
  onRetry?: (error: unknown, waitMs: number, attempt: number) => void;
}

/**
 * Runs `task` until it succeeds, fails with an error not worth retrying, or the tries are spent
 * (then the last error is thrown). Waits `retryDelay` between tries, so an error that carries
 * `retryAfterMs` (a 429 or 503 with `Retry-After`) is not retried sooner than the server asked.
 */
export async function withRetry<T>(task: (attempt: number) => Promise<T>, options: RetryOptions): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await task(attempt);
    } catch (error) {
      if (options.signal?.aborted) throw error;
      if (attempt >= options.attempts || !(options.retryable?.(error) ?? true)) throw error;
      const waitMs = retryDelay(attempt, options, retryAfterMsOf(error));
      options.onRetry?.(error, waitMs, attempt);
      await sleep(waitMs, options.signal);
    }
  }
}
