// Retrying transient failures: a download of a few GB over a home connection will meet a reset
// socket or a 503 from the CDN now and then, and starting the whole command over is the worst fix.

/** An error worth another try (network drop, 5xx, 429, a corrupt transfer) or not (404, 401, disk full). */
export class DownloadError extends Error {
  constructor(
    message: string,
    readonly transient: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'DownloadError';
  }
}

/** The request never got an HTTP answer (refused, DNS, reset, timed out): transient. */
export class NetworkError extends DownloadError {
  constructor(error: unknown) {
    super(describeError(error), true, { cause: error });
    this.name = 'NetworkError';
  }
}

export interface RetryPolicy {
  /** Tries in all, the first included. */
  attempts: number;
  /** Wait before the second try; doubled each time after. */
  backoffMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 5, backoffMs: 1000 };

/** HTTP statuses a later try may get past. */
export function isTransientStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

// Local file-system failures: retrying will not free disk space or grant permissions.
const FATAL_FS_CODES = new Set(['ENOSPC', 'EACCES', 'EPERM', 'EROFS', 'EDQUOT', 'EISDIR', 'ENOTDIR']);

export function isTransient(error: unknown): boolean {
  if (error instanceof DownloadError) return error.transient;
  const code = (error as { code?: unknown } | null)?.code;
  return !(typeof code === 'string' && FATAL_FS_CODES.has(code));
}

/** Runs `task` until it succeeds, a failure is not transient, or the tries are spent (then throws the last error). */
export async function withRetry<T>(policy: RetryPolicy, task: (attempt: number) => Promise<T>, onRetry?: (error: unknown, waitMs: number) => void): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await task(attempt);
    } catch (error) {
      if (attempt >= policy.attempts || !isTransient(error)) throw error;
      const waitMs = policy.backoffMs * 2 ** (attempt - 1);
      onRetry?.(error, waitMs);
      await new Promise((resolve) => setTimeout(resolve, waitMs));
    }
  }
}

/** `fetch failed` says nothing; its cause says ECONNREFUSED / ENOTFOUND / other side closed. */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  // Our own errors already carry the detail in their message.
  if (error instanceof DownloadError) return error.message;
  const cause = error.cause as { code?: unknown; message?: unknown } | undefined;
  if (cause && typeof cause === 'object') {
    const code = typeof cause.code === 'string' ? cause.code : '';
    const message = typeof cause.message === 'string' ? cause.message : '';
    const detail = [code, message].filter(Boolean).join(' ');
    if (detail) return `${error.message} (${detail})`;
  }
  return error.message;
}
