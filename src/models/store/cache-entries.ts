import type { ModelSource } from '../../engines/types.ts';
import type { ListedFile } from './listing.ts';
import { modelFileUrl } from './model-url.ts';
import { sha256Hex } from './sha256.ts';

/** transformers.js's Cache Storage name (`env.cacheKey`); kokoro-js loads its graphs through it too. */
export const TRANSFORMERS_CACHE = 'transformers-cache';
/** kokoro-js keeps voices in their own cache, keyed by the hub URL whatever the source. */
export const KOKORO_VOICE_CACHE = 'kokoro-voices';

export const kokoroVoiceKey = (voice: string): string =>
  `https://huggingface.co/onnx-community/Kokoro-82M-v1.0-ONNX/resolve/main/voices/${voice}.bin`;

/** Declared size of the complete file, on every entry this app stores. */
const BYTES_HEADER = 'x-hearth-bytes';

/**
 * Web Crypto hashes a file read whole into memory. Every start checks sizes, and hashes only
 * small files (configs, tokenizers, voices: milliseconds); a deep check, after a model failed
 * to load, hashes graphs too, up to the largest a phone can hold in memory twice over.
 */
export const QUICK_HASH_LIMIT = 8 * 1024 * 1024;
export const DEEP_HASH_LIMIT = 512 * 1024 * 1024;

/** A listed file with where it comes from and where the loading library will look for it. */
export interface StoreFile extends ListedFile {
  model: string;
  url: string;
  cacheName: string;
  cacheKey: string;
}

export function storeFileFor(source: ModelSource, model: string, file: ListedFile, origin: string): StoreFile {
  const url = modelFileUrl(source, model, file.path, origin);
  const voice = /^voices\/([a-z]{2}_[a-z]+)\.bin$/.exec(file.path)?.[1];
  return voice
    ? { ...file, model, url, cacheName: KOKORO_VOICE_CACHE, cacheKey: kokoroVoiceKey(voice) }
    : { ...file, model, url, cacheName: TRANSFORMERS_CACHE, cacheKey: url };
}

export type CacheCheck = 'cached' | 'missing' | 'damaged';

/**
 * Is the file in the cache whole? A wrong size (a cut download stored by an older version, a
 * server that sent an error page) or, for files up to `hashLimit`, a body of the wrong length or
 * hash counts as damaged: the entry is removed so it is fetched again instead of crashing the
 * model's load. Larger files are judged by their declared size (cheap at every start); the deep
 * check after a failed load reads and hashes them too.
 */
export async function checkCached(file: StoreFile, hashLimit = QUICK_HASH_LIMIT): Promise<CacheCheck> {
  const cache = await caches.open(file.cacheName);
  const response = await cache.match(file.cacheKey);
  if (!response) return 'missing';
  let whole = declaredBytes(response) === file.bytes;
  // Reading a body costs a pass over the file: only for those small enough to hash as well.
  if (whole && file.bytes <= hashLimit) {
    const body = await response.blob();
    whole = body.size === file.bytes && (!file.sha256 || (await sha256Hex(body)) === file.sha256);
  }
  if (whole) return 'cached';
  await cache.delete(file.cacheKey);
  return 'damaged';
}

/** The size an entry says it has (ours carry BYTES_HEADER; transformers.js sets content-length). */
export function declaredBytes(response: Response): number {
  return Number(response.headers.get(BYTES_HEADER) ?? response.headers.get('content-length') ?? NaN);
}

/** Stores a complete, verified file where the loading library looks for it. */
export async function putCached(file: Pick<StoreFile, 'cacheName' | 'cacheKey'>, body: Blob): Promise<void> {
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

/** Removes every cached file whose key starts with one of `prefixes`; returns how many. */
export async function deleteCachedByPrefix(cacheName: string, prefixes: string[]): Promise<number> {
  const cache = await caches.open(cacheName);
  let deleted = 0;
  for (const request of await cache.keys()) {
    if (prefixes.some((prefix) => request.url.startsWith(prefix)) && (await cache.delete(request))) deleted += 1;
  }
  return deleted;
}
