import { ApiErrorSchema } from '../protocol/errors.ts';
import { retryAfterOf } from '../lib/retry.ts';

/** A relay answer other than success: the HTTP status and the relay's error code (or `network`). */
export class RelayError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** The relay's `Retry-After` (a rate limit, a busy relay): wait at least this long before trying again. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'RelayError';
  }

  /** Worth trying again later: the network, a rate limit, or the relay's own trouble. */
  get retryable(): boolean {
    return this.status === 0 || this.status === 429 || this.status >= 500;
  }
}

/** Turns a failed response into a RelayError with the relay's own explanation when it sent one. */
export async function relayErrorOf(response: Response): Promise<RelayError> {
  const body: unknown = await response.json().catch(() => null);
  const parsed = ApiErrorSchema.safeParse(body);
  const retryAfterMs = retryAfterOf(response);
  if (parsed.success) return new RelayError(response.status, parsed.data.error.code, parsed.data.error.message, retryAfterMs);
  return new RelayError(response.status, 'http_error', `The relay answered HTTP ${response.status}.`, retryAfterMs);
}

export function networkError(error: unknown): RelayError {
  return new RelayError(0, 'network', `The relay could not be reached (${error instanceof Error ? error.message : String(error)}).`);
}
