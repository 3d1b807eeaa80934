// Retrying transient failures: a download of a few GB over a home connection will meet a reset
// socket or a 503 from the CDN now and then, and starting the whole command over is the worst fix.
// The error type and the backoff are the app's own (src/models/store/download-errors.ts,
// src/lib/retry.ts); what is Node's alone is which local file-system failures are final.
import { withRetry as retry } from '../../src/lib/retry.ts';
import { DownloadError } from '../../src/models/store/download-errors.ts';

export interface RetryPolicy {
  /** Tries in all, the first included. */
  attempts: number;
  /** Wait before the second try; doubled each time after (longer when the server sends Retry-After). */
  backoffMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 5, backoffMs: 1000 };

// Local file-system failures: retrying will not free disk space or grant permissions.
const FATAL_FS_CODES = new Set(['ENOSPC', 'EACCES', 'EPERM', 'EROFS', 'EDQUOT', 'EISDIR', 'ENOTDIR']);

/** An error worth another try: a transient DownloadError, or anything but a final file-system failure. */
export function isTransient(error: unknown): boolean {
  if (error instanceof DownloadError) return error.transient;
  const code = (error as { code?: unknown } | null)?.code;
  return !(typeof code === 'string' && FATAL_FS_CODES.has(code));
}

/** The request never got an answer, after every try: the machine is offline or the endpoint wrong. */
export function isNetworkFailure(error: unknown): error is DownloadError {
  return error instanceof DownloadError && error.reason === 'network';
}

/** Runs `task` until it succeeds, a failure is not transient, or the tries are spent (then throws the last error). */
export function withRetry<T>(policy: RetryPolicy, task: (attempt: number) => Promise<T>, onRetry?: (error: unknown, waitMs: number) => void): Promise<T> {
  return retry(task, { attempts: policy.attempts, baseMs: policy.backoffMs, retryable: isTransient, onRetry });
}
