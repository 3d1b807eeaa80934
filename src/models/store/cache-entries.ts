import type { ModelSource } from '../../protocol/model-set.ts';
import { declaredBytes, KOKORO_VOICE_CACHE, kokoroVoiceKey, TRANSFORMERS_CACHE } from '../../engines/model-files/model-cache.ts';
import { modelFileUrl } from '../../engines/model-files/model-url.ts';
import type { ListedFile } from './listing.ts';
import { sha256Hex } from './sha256.ts';


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


/** Removes every cached file whose key starts with one of `prefixes`; returns how many. */
export async function deleteCachedByPrefix(cacheName: string, prefixes: string[]): Promise<number> {
  const cache = await caches.open(cacheName);
  let deleted = 0;
  for (const request of await cache.keys()) {
    if (prefixes.some((prefix) => request.url.startsWith(prefix)) && (await cache.delete(request))) deleted += 1;
  }
  return deleted;
}
