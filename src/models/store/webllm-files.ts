// A WebLLM build's files, for the model store: what WebLLM 0.2.86 reads of its hub repository
// (mlc-chat-config.json, tensor-cache.json and the weight shards it lists, the tokenizer) and its
// compiled library, each stored in the WebLLM cache and under the URL WebLLM looks it up by. With
// them there, WebLLM loads without a download, and its ~100 MB-1 GB count in the first-visit
// total, the storage check and the model manager like every other model.
import { WEBLLM_CACHES } from '../../engines/llm/webllm-models.ts';
import { modelFileUrl } from '../../engines/model-files/model-url.ts';
import type { ModelSource } from '../../protocol/model-set.ts';
import type { StoreFile } from './cache-entries.ts';
import { MissingModelFileError } from './file-selection.ts';
import type { ListedFile, ModelListing } from './listing.ts';

const CHAT_CONFIG = 'mlc-chat-config.json';
const TENSOR_CACHE = 'tensor-cache.json';
const SHARD = /^params_shard_\d+\.bin$/;
/** WebLLM reads tokenizer.json, and tokenizer.model only when a build has no tokenizer.json. */
const TOKENIZERS = ['tokenizer.json', 'tokenizer.model'];

/** The files of the build's listing that WebLLM reads; throws when one it cannot do without is missing. */
export function selectWebLlmFiles(listing: ModelListing): ListedFile[] {
  const byPath = new Map(listing.files.map((file) => [file.path, file]));
  const required = (path: string): ListedFile => {
    const file = byPath.get(path);
    if (!file) throw new MissingModelFileError(listing.id, path, 'is it a WebLLM (MLC) build?');
    return file;
  };
  const configs = [required(CHAT_CONFIG), required(TENSOR_CACHE)];
  const tokenizer = TOKENIZERS.map((path) => byPath.get(path)).find((file) => file !== undefined) ?? required(TOKENIZERS[0]!);
  const shards = listing.files.filter((file) => SHARD.test(file.path));
  if (shards.length === 0) required('params_shard_0.bin');
  return [...configs, tokenizer, ...shards];
}

/** Which WebLLM cache a file of the build goes to: the chat config has its own, the rest are "model". */
function cacheOf(path: string): string {
  return path === CHAT_CONFIG ? WEBLLM_CACHES.config : WEBLLM_CACHES.model;
}

/**
 * The build's files as the store downloads them, the compiled library last. The library is not
 * in the repository's listing: its size comes from a HEAD request, and without one (the host
 * unreachable) it is left to WebLLM, which fetches it itself when it loads.
 */
export async function webLlmStoreFiles(
  source: ModelSource,
  listing: ModelListing,
  library: string | undefined,
  origin: string,
  fetchImpl: typeof fetch = fetch,
): Promise<StoreFile[]> {
  const files: StoreFile[] = selectWebLlmFiles(listing).map((file) => {
    const url = modelFileUrl(source, listing.id, file.path, origin);
    return { ...file, model: listing.id, url, cacheName: cacheOf(file.path), cacheKey: url };
  });
  const libraryBytes = library ? await sizeOf(library, fetchImpl) : undefined;
  if (library && libraryBytes !== undefined) {
    const path = library.slice(library.lastIndexOf('/') + 1);
    files.push({ path, bytes: libraryBytes, model: listing.id, url: library, cacheName: WEBLLM_CACHES.wasm, cacheKey: library });
  }
  return files;
}

async function sizeOf(url: string, fetchImpl: typeof fetch): Promise<number | undefined> {
  try {
    const response = await fetchImpl(url, { method: 'HEAD', signal: AbortSignal.timeout(8000) });
    const bytes = Number(response.headers.get('content-length'));
    return response.ok && Number.isSafeInteger(bytes) && bytes > 0 ? bytes : undefined;
  } catch {
    return undefined;
  }
}
