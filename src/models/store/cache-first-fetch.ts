import { TRANSFORMERS_CACHE } from './cache-entries.ts';

/**
 * fetch() for model files that looks in the model store's cache first (Cache Storage
 * `transformers-cache`, keyed by the file's URL, where the store puts every file before the
 * stages load), so an engine that fetches its own files works offline as transformers.js does.
 * A HEAD request (does the source have this file?) is answered from the cache too; one the
 * network cannot answer either (offline) counts as "no such file" rather than an error.
 */
export async function cacheFirstFetch(url: string, init?: RequestInit): Promise<Response> {
  const head = init?.method === 'HEAD';
  const cached = await cachedModelFile(url);
  if (cached) return head ? new Response(null, { status: 200, headers: cached.headers }) : cached;
  if (!head) return fetch(url, init);
  try {
    return await fetch(url, init);
  } catch {
    return new Response(null, { status: 404, statusText: 'not cached and the network is unreachable' });
  }
}

/** The copy the model store put in `transformers-cache` under the file's URL, if any. */
export async function cachedModelFile(url: string): Promise<Response | undefined> {
  if (typeof caches === 'undefined') return undefined;
  try {
    return await (await caches.open(TRANSFORMERS_CACHE)).match(url);
  } catch {
    // A cache the browser will not open (private mode, storage cleared meanwhile): use the network.
    return undefined;
  }
}
