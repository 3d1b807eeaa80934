import type { MetricsBatchResponse, TurnMetric } from '../protocol/metrics.ts';
import { retryAfterOf } from '../lib/retry.ts';

/** Where turns go: the relay that served the app (`POST /api/v1/metrics`). */
export const METRICS_ENDPOINT = '/api/v1/metrics';

export type FetchLike = (url: string, init: RequestInit) => Promise<Pick<Response, 'status' | 'ok' | 'json' | 'headers'>>;
export type BeaconLike = (url: string, data: string) => boolean;

/** What became of a batch, and so what to do with its turns. */
export type Delivery =
  /** Stored, or known already (duplicates), or refused one by one: done with these turns. */
  | { kind: 'delivered'; response: MetricsBatchResponse | undefined }
  /** Refused whole (400, 413, 415): sending it again would be refused again. */
  | { kind: 'refused'; status: number }
  /** Offline, relay down or busy: keep the turns and try later. */
  | { kind: 'retry'; status: number | undefined; retryAfterMs: number | undefined };

const REFUSED = new Set([400, 413, 415, 422]);
const REQUEST_TIMEOUT_MS = 30_000;
/** Keepalive requests and beacons share a 64 KiB budget per page; leave room for headers. */
export const UNLOAD_BODY_LIMIT = 60_000;

export function batchBody(turns: readonly TurnMetric[]): string {
  return JSON.stringify({ turns });
}

export function byteLength(text: string): number {
  return new TextEncoder().encode(text).length;
}

/**
 * POSTs one batch. `keepalive` lets the request outlive the page (page hide). Credentials are
 * omitted: metrics are anonymous and must not carry an agent's session.
 */
export async function postBatch(fetchImpl: FetchLike, url: string, body: string, keepalive = false): Promise<Delivery> {
  let res: Awaited<ReturnType<FetchLike>>;
  try {
    res = await fetchImpl(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body,
      keepalive,
      credentials: 'omit',
      // A request that hangs would hold the queue; a keepalive one may legitimately outlive us.
      ...(keepalive || typeof AbortSignal.timeout !== 'function' ? {} : { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) }),
    });
  } catch {
    return { kind: 'retry', status: undefined, retryAfterMs: undefined };
  }
  if (res.ok) {
    const response = (await res.json().catch(() => undefined)) as MetricsBatchResponse | undefined;
    return { kind: 'delivered', response };
  }
  if (REFUSED.has(res.status)) return { kind: 'refused', status: res.status };
  return { kind: 'retry', status: res.status, retryAfterMs: retryAfterOf(res) };
}
