// The two hub calls we need: list a repository, and the URL of one of its files. The endpoint and
// token use huggingface_hub's own variable names so an existing setup (a mirror such as
// hf-mirror.com, a token for gated repos) works unchanged.
import { retryAfterOf } from '../../src/lib/retry.ts';
import { DownloadError, describeError, networkError } from '../../src/models/store/download-errors.ts';
import { fetchHubTree } from '../../src/models/store/listing-source.ts';
import { isNetworkFailure, withRetry, type RetryPolicy } from './retry.ts';
import type { TreeEntry } from './select-files.ts';

export const DEFAULT_ENDPOINT = 'https://huggingface.co';

export interface HubOptions {
  endpoint: string;
  token?: string;
  retry: RetryPolicy;
  onRetry?: (what: string, error: unknown, waitMs: number) => void;
}

export function hubFromEnv(env: NodeJS.ProcessEnv = process.env): Pick<HubOptions, 'endpoint' | 'token'> {
  const endpoint = (env.HF_ENDPOINT?.trim() || DEFAULT_ENDPOINT).replace(/\/+$/, '');
  const token = env.HF_TOKEN?.trim() || undefined;
  return { endpoint, token };
}

/** The hub (or the network) cannot be reached at all: no point trying the other files. */
export class HubUnreachableError extends Error {
  constructor(endpoint: string, cause: unknown) {
    super(
      `cannot reach ${endpoint}: ${describeError(cause)}. This command needs the internet; ` +
        'copy the folder to the air-gapped machine afterwards.',
      { cause },
    );
    this.name = 'HubUnreachableError';
  }
}

export function authHeaders(token: string | undefined): Record<string, string> {
  return token ? { authorization: `Bearer ${token}` } : {};
}

/** Ids are `org/name`; each part is escaped, the slash kept (as the hub expects). */
function repoPath(id: string): string {
  return id.split('/').map(encodeURIComponent).join('/');
}

export function resolveUrl(endpoint: string, id: string, path: string): string {
  return `${endpoint}/${repoPath(id)}/resolve/main/${path.split('/').map(encodeURIComponent).join('/')}`;
}

/**
 * Every file and folder of `id` at `main`, following the hub's pages the way the app's model
 * store does (fetchHubTree: same origin only, a bounded number of pages).
 */
export async function listRepo(hub: HubOptions, id: string): Promise<TreeEntry[]> {
  const url = `${hub.endpoint}/api/models/${repoPath(id)}/tree/main?recursive=true`;
  // A listing is tiny: three quick tries a page tell an offline machine from a blip without
  // making the user wait long for "cannot reach". No time limit: the user can stop the command.
  const fetchPage = (pageUrl: string): Promise<Response> =>
    withRetry(
      { ...hub.retry, attempts: Math.min(hub.retry.attempts, 3) },
      async () => {
        let res: Response;
        try {
          res = await fetch(pageUrl, { headers: { accept: 'application/json', ...authHeaders(hub.token) } });
        } catch (error) {
          throw networkError(error);
        }
        if (res.ok) return res;
        await res.body?.cancel();
        throw new DownloadError(listError(hub, id, res.status), 'http', { status: res.status, retryAfterMs: retryAfterOf(res) });
      },
      (error, waitMs) => hub.onRetry?.(`list ${id}`, error, waitMs),
    );
  const tree = await fetchHubTree(url, { fetch: fetchPage }).catch((error: unknown) => {
    // Still a network failure after every retry: the machine is offline, or the endpoint is wrong.
    if (isNetworkFailure(error)) throw new HubUnreachableError(hub.endpoint, error.cause);
    throw error;
  });
  if (!tree) throw new Error(`${url}: expected a JSON array of files`);
  return tree as TreeEntry[];
}

function listError(hub: HubOptions, id: string, status: number): string {
  const base = `HTTP ${status} listing ${id} on ${hub.endpoint}`;
  if (status === 401 || status === 403) {
    return `${base}: the repository is gated or private${hub.token ? ' and HF_TOKEN has no access to it' : '; set HF_TOKEN to a token with access'}`;
  }
  if (status === 404) return `${base}: no such model repository`;
  return base;
}
