// Why a model download stopped: one error type for the app's model store (browser) and the
// `models:download` tool (Node), so both decide the same way what another try may get past.

/**
 * `network`: the request never got an answer, or the connection dropped. `http`: the server
 * answered with an error status (see `status`). `incomplete`: the transfer ended early, or the
 * server would not resume where we were (the partial file is started over). `corrupt`: the bytes
 * did not match the size or hash the source lists. `storage-full`: no space left to save them.
 */
export type DownloadFailure = 'network' | 'http' | 'incomplete' | 'corrupt' | 'storage-full';

export interface DownloadErrorOptions {
  cause?: unknown;
  /** `http`: the status the server answered. */
  status?: number;
  /** The server's `Retry-After` (429, 503), in milliseconds. */
  retryAfterMs?: number;
}

/** Why a model download stopped, in words for the person who started it. */
export class DownloadError extends Error {
  readonly status: number | undefined;
  readonly retryAfterMs: number | undefined;

  constructor(
    message: string,
    readonly reason: DownloadFailure,
    options: DownloadErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'DownloadError';
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
  }

  /** Worth another try: a drop, a cut or damaged transfer, a busy server; not a full disk, a 404 or a 401. */
  get transient(): boolean {
    if (this.reason === 'storage-full') return false;
    if (this.reason === 'http') return this.status !== undefined && isTransientStatus(this.status);
    return true;
  }
}

/** HTTP statuses a later try may get past. */
export function isTransientStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/** Whether a download failure is worth another try (anything but a DownloadError is not: a bug, a refused write). */
export function isTransientDownloadError(error: unknown): boolean {
  return error instanceof DownloadError && error.transient;
}

export function isQuotaError(error: unknown): boolean {
  return error instanceof DOMException && (error.name === 'QuotaExceededError' || error.code === 22);
}

export function storageFullError(file: string): DownloadError {
  return new DownloadError(`The device ran out of storage while saving ${file}. Free some space, then retry; the download continues where it stopped.`, 'storage-full');
}

/**
 * A failed fetch in words. Node's `fetch failed` says nothing; its cause says ECONNREFUSED /
 * ENOTFOUND / other side closed. Our own errors already carry the detail in their message.
 */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
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

/** The request never got an HTTP answer (refused, DNS, reset, timed out): worth another try. */
export function networkError(error: unknown, what?: string): DownloadError {
  return new DownloadError(what ? `${what} (${describeError(error)})` : describeError(error), 'network', { cause: error });
}
