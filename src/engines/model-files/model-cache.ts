// The caches the model libraries read their files from, and how an entry in them looks: the
// model store (src/models/store) fills them before the stages load; the engines read them and
// keep what they fetch themselves there too.

/** transformers.js's Cache Storage name (`env.cacheKey`); kokoro-js loads its graphs through it too. */
export const TRANSFORMERS_CACHE = 'transformers-cache';
/** kokoro-js keeps voices in their own cache, keyed by the hub URL whatever the source. */
export const KOKORO_VOICE_CACHE = 'kokoro-voices';

export const kokoroVoiceKey = (voice: string): string =>
  `https://huggingface.co/onnx-community/Kokoro-82M-v1.0-ONNX/resolve/main/voices/${voice}.bin`;

/** Declared size of the complete file, on every entry this app stores. */
const BYTES_HEADER = 'x-hearth-bytes';

/** The size an entry says it has (ours carry BYTES_HEADER; transformers.js sets content-length). */
export function declaredBytes(response: Response): number {
  return Number(response.headers.get(BYTES_HEADER) ?? response.headers.get('content-length') ?? NaN);
}

/** Stores a complete, verified file where the loading library looks for it. */
export async function putCached(file: { cacheName: string; cacheKey: string }, body: Blob): Promise<void> {
  const cache = await caches.open(file.cacheName);
  await cache.put(
    file.cacheKey,
    new Response(body, {
      headers: {
        'content-type': 'application/octet-stream',
        // transformers.js reads content-length for progress; the Cache API may drop it otherwise.
        'content-length': String(body.size),
        [BYTES_HEADER]: String(body.size),
      },
    }),
  );
}

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
