import { MetricsSummarySchema, type MetricsSummary } from '../../protocol/metrics.ts';

/**
 * Under /agent/ because the agent session cookie is scoped to /api/v1/agent: the browser sends
 * it there and nowhere else (`/api/v1/metrics/summary` is the same report for API clients).
 */
export const SUMMARY_ENDPOINT = '/api/v1/agent/metrics/summary';

export type Bucket = '1m' | '5m' | '1h' | '1d';

export interface SummaryRequest {
  from: Date;
  to: Date;
  bucket: Bucket;
}

export type SummaryResult =
  | { kind: 'ok'; summary: MetricsSummary }
  | { kind: 'signed-out' }
  | { kind: 'error'; message: string };

export type SummaryFetch = (url: string, init: RequestInit) => Promise<Pick<Response, 'status' | 'ok' | 'json'>>;

export function summaryUrl({ from, to, bucket }: SummaryRequest): string {
  const query = new URLSearchParams({ from: from.toISOString(), to: to.toISOString(), bucket });
  return `${SUMMARY_ENDPOINT}?${query}`;
}

async function errorMessage(res: Pick<Response, 'status' | 'json'>): Promise<string> {
  const body = (await res.json().catch(() => undefined)) as { error?: { message?: unknown } } | undefined;
  const message = body?.error?.message;
  return typeof message === 'string' ? message : `The relay answered ${res.status}.`;
}

export async function fetchSummary(request: SummaryRequest, fetchImpl: SummaryFetch, signal?: AbortSignal): Promise<SummaryResult> {
  let res: Awaited<ReturnType<SummaryFetch>>;
  try {
    res = await fetchImpl(summaryUrl(request), { credentials: 'same-origin', headers: { Accept: 'application/json' }, signal });
  } catch (error) {
    if (signal?.aborted) throw error;
    return { kind: 'error', message: 'The relay could not be reached.' };
  }
  if (res.status === 401) return { kind: 'signed-out' };
  if (!res.ok) return { kind: 'error', message: await errorMessage(res) };
  const parsed = MetricsSummarySchema.safeParse(await res.json().catch(() => undefined));
  if (!parsed.success) return { kind: 'error', message: 'The relay sent a summary this dashboard does not understand.' };
  return { kind: 'ok', summary: parsed.data };
}
