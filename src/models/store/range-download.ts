// The one resumable downloader: fetches the rest of a file after the bytes already kept, with a
// Range request, into a partial file. The model store (browser: the partial lives in OPFS) and
// `npm run models:download` (Node: a `.part` beside the target) each bring their own partial file
// and their own check of the finished bytes; the HTTP side (resuming, a server that ignores or
// refuses Range, a cut connection, a body longer than listed) is decided here, for both, with
// fetch and web streams only.
import { DownloadError, networkError } from './download-errors.ts';
import { retryAfterOf } from '../../lib/retry.ts';

/** Where the bytes go: a file that survives a failed pass, so the next one only fetches the rest. */
export interface PartialSink {
  append(chunk: Uint8Array): void | Promise<void>;
  /** Empties the file: the download starts over. */
  restart(): void | Promise<void>;
  /** Makes what was appended durable (called every so often and at the end of a pass). */
  flush?(): void | Promise<void>;
}

export interface FetchRestOptions {
  /** Bytes the partial file already holds: the request resumes after them. */
  from: number;
  /** The size the source lists, when it lists one. */
  bytes: number | null;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** Extra fetch options (the browser's `cache: 'no-store'`). */
  init?: Omit<RequestInit, 'headers' | 'signal'>;
  /** How to say an HTTP error status (e.g. the hub's 401: set a token); default "answered <status>". */
  httpMessage?: (status: number) => string;
  /** Bytes held now and the total when known, as they arrive. */
  onBytes?: (have: number, total: number | null) => void;
  /** Flush to disk about this often, so a closed tab or a killed process loses at most this much. */
  flushEveryBytes?: number;
  fetch?: (url: string, init: RequestInit) => Promise<Response>;
}

const FLUSH_EVERY_BYTES = 1024 * 1024;

/**
 * One pass at the rest of `url` (named `label` in messages), appended to `sink`; returns the
 * bytes the partial file holds afterwards. Starts the file over when the server sends it whole
 * (no Range support) or resumes at the wrong place. Throws a DownloadError for what a retry may
 * mend (the bytes so far stay in the sink) or not (an HTTP error status); an abort is rethrown.
 */
export async function fetchRest(url: string, label: string, sink: PartialSink, options: FetchRestOptions): Promise<number> {
  const { from, signal } = options;
  const fetchImpl = options.fetch ?? ((input: string, init: RequestInit) => fetch(input, init));
  let response: Response;
  try {
    response = await fetchImpl(url, { ...options.init, headers: { ...options.headers, ...(from > 0 ? { range: `bytes=${from}-` } : {}) }, signal });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw networkError(error, `Could not reach the model source for ${label}`);
  }
  if (response.status === 416) {
    // The partial file does not fit the file the server has (it changed upstream): start over.
    await response.body?.cancel();
    await sink.restart();
    throw new DownloadError(`${label}: the server refused to resume; starting it over.`, 'incomplete');
  }
  if (!response.ok) {
    await response.body?.cancel();
    const message = options.httpMessage?.(response.status) ?? `The model source answered ${response.status} for ${label}.`;
    throw new DownloadError(message, 'http', { status: response.status, retryAfterMs: retryAfterOf(response) });
  }
  let start = from;
  if (response.status === 206) {
    const resumedAt = Number(/^bytes (\d+)-/.exec(response.headers.get('content-range') ?? '')?.[1] ?? NaN);
    if (resumedAt !== from) {
      await response.body?.cancel();
      await sink.restart();
      throw new DownloadError(`${label}: the server resumed at the wrong place; starting it over.`, 'incomplete');
    }
  } else {
    // 200: the server sends the whole file (no Range support, or nothing was kept): start over.
    start = 0;
    await sink.restart();
  }
  if (!response.body) throw new DownloadError(`${label}: the response had no body.`, 'network');

  const length = Number(response.headers.get('content-length') ?? NaN);
  const total = options.bytes ?? (Number.isFinite(length) ? start + length : null);
  const flushEvery = options.flushEveryBytes ?? FLUSH_EVERY_BYTES;
  let received = start;
  let sinceFlush = 0;
  options.onBytes?.(received, total);
  const reader = response.body.getReader();
  try {
    for (;;) {
      let chunk: ReadableStreamReadResult<Uint8Array>;
      try {
        chunk = await reader.read();
      } catch (error) {
        if (signal?.aborted) throw error;
        throw networkError(error, `The connection dropped while downloading ${label}`);
      }
      if (chunk.done) break;
      await sink.append(chunk.value);
      received += chunk.value.byteLength;
      sinceFlush += chunk.value.byteLength;
      if (sinceFlush >= flushEvery) {
        await sink.flush?.();
        sinceFlush = 0;
      }
      options.onBytes?.(received, total);
      if (options.bytes !== null && received > options.bytes) {
        await reader.cancel().catch(() => undefined);
        await sink.restart();
        throw new DownloadError(`${label} is larger than the model source said; it will be downloaded again.`, 'corrupt');
      }
    }
  } finally {
    reader.releaseLock();
    await sink.flush?.();
  }
  if (total !== null && received < total) {
    throw new DownloadError(`${label}: the connection ended after ${received} of ${total} bytes.`, 'incomplete');
  }
  return received;
}
