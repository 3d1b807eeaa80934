import type { ModelSource } from '../../protocol/model-set.ts';
import { declaredBytes, KOKORO_VOICE_CACHE, TRANSFORMERS_CACHE } from '../../engines/model-files/model-cache.ts';
import { checkCached, DEEP_HASH_LIMIT, deleteCachedByPrefix, QUICK_HASH_LIMIT, storeFileFor, type StoreFile } from './cache-entries.ts';
import { isTransientDownloadError } from './download-errors.ts';
import { withRetry } from '../../lib/retry.ts';
import { selectStageFiles, sizesByDtype } from './file-selection.ts';
import { forgetListing, loadListing } from './listing-source.ts';
import { modelFileUrl } from '../../engines/model-files/model-url.ts';
import { discardPartial, partialBytes } from './partial-file.ts';
import { downloadFile } from './resumable-download.ts';
import { webLlmStoreFiles } from './webllm-files.ts';
import { WEBLLM_CACHES } from '../../engines/llm/webllm-models.ts';
import type { CachedModel, CatalogueEntry, DownloadProgress, InventoryFile, StageInventory, StageModelRequest, StoreRequest } from './store-types.ts';

/** Passes at one file before giving up; each pass resumes where the last one stopped. */
const ATTEMPTS_PER_FILE = 4;
/** Wait before the second pass, doubled after (never shorter than a server's Retry-After). */
const RETRY_DELAY_MS = 500;

/** kokoro-js keys every voice by its hub URL, whatever the model: voices are one entry of their own. */
export const VOICES_ENTRY = 'Kokoro voices';
/** WebLLM's compiled libraries come from GitHub, not a model's repository: one entry of their own too. */
export const WEBLLM_LIBRARIES_ENTRY = 'WebLLM compiled libraries';

interface StageFiles {
  request: StageModelRequest;
  files: StoreFile[];
  error?: string;
}

/**
 * The device's copy of the models: what a model set needs, what is here, downloading the rest
 * (resumable, verified) into the caches the loading libraries read, and deleting. Runs in its
 * own worker; the stage workers then load from the cache without touching the network.
 */
export class ModelStore {
  constructor(private readonly origin: string) {}

  private async stageFiles({ source, requests }: StoreRequest): Promise<StageFiles[]> {
    return Promise.all(
      requests.map(async (request): Promise<StageFiles> => {
        try {
          const listing = await loadListing(source, request.model, this.origin);
          if (request.webllm) return { request, files: await webLlmStoreFiles(source, listing, request.webllm.library, this.origin) };
          const files = selectStageFiles(request.stage, listing, request.dtype, request.voice);
          return { request, files: files.map((file) => storeFileFor(source, request.model, file, this.origin)) };
        } catch (error) {
          // One stage's unknown model must not keep the others from downloading.
          return { request, files: [], error: error instanceof Error ? error.message : String(error) };
        }
      }),
    );
  }

  /** What each stage needs and what is missing; damaged cache entries are removed on the way. */
  async inspect(store: StoreRequest): Promise<StageInventory[]> {
    const stages = await this.stageFiles(store);
    const hashLimit = store.deep ? DEEP_HASH_LIMIT : QUICK_HASH_LIMIT;
    return Promise.all(stages.map((stage) => this.inventoryOf(stage, hashLimit)));
  }

  private async inventoryOf({ request, files, error }: StageFiles, hashLimit = QUICK_HASH_LIMIT): Promise<StageInventory> {
    const repaired: string[] = [];
    const rows: InventoryFile[] = [];
    for (const file of files) {
      const check = await checkCached(file, hashLimit);
      if (check === 'damaged') repaired.push(file.path);
      if (check === 'cached') {
        rows.push({ path: file.path, bytes: file.bytes, state: 'cached', haveBytes: file.bytes });
        continue;
      }
      const have = Math.min(await partialBytes(file.cacheKey), file.bytes);
      rows.push({ path: file.path, bytes: file.bytes, state: have > 0 ? 'partial' : 'missing', haveBytes: have });
    }
    const totalBytes = rows.reduce((sum, row) => sum + row.bytes, 0);
    const missingBytes = rows.reduce((sum, row) => sum + row.bytes - row.haveBytes, 0);
    return { stage: request.stage, model: request.model, dtype: request.dtype, totalBytes, missingBytes, files: rows, repaired, ...(error ? { error } : {}) };
  }

  /** Downloads every missing file, stage by stage in parallel, reporting bytes per stage. */
  async download(store: StoreRequest, onProgress: (progress: DownloadProgress) => void, signal?: AbortSignal): Promise<StageInventory[]> {
    const stages = await this.stageFiles(store);
    await Promise.all(stages.map((stage) => this.downloadStage(stage, onProgress, signal)));
    return Promise.all(stages.map((stage) => this.inventoryOf(stage)));
  }

  private async downloadStage({ request, files }: StageFiles, onProgress: (progress: DownloadProgress) => void, signal?: AbortSignal): Promise<void> {
    const total = files.reduce((sum, file) => sum + file.bytes, 0);
    let done = 0;
    for (const file of files) {
      if ((await checkCached(file)) === 'cached') {
        done += file.bytes;
        continue;
      }
      const report = (have: number) => onProgress({ stage: request.stage, loaded: done + have, total, file: file.path });
      report(await partialBytes(file.cacheKey));
      await this.downloadWithRetries(file, report, signal);
      done += file.bytes;
      report(0);
    }
  }

  private downloadWithRetries(file: StoreFile, onBytes: (have: number) => void, signal?: AbortSignal): Promise<void> {
    return withRetry(() => downloadFile(file, { signal, onBytes }), {
      attempts: ATTEMPTS_PER_FILE,
      baseMs: RETRY_DELAY_MS,
      retryable: isTransientDownloadError,
      signal,
    });
  }

  /** Every model with files in the caches, with the space they use. */
  async cached(): Promise<CachedModel[]> {
    const byModel = new Map<string, CachedModel>();
    for (const cacheName of [TRANSFORMERS_CACHE, KOKORO_VOICE_CACHE, ...Object.values(WEBLLM_CACHES)]) {
      const cache = await caches.open(cacheName);
      for (const request of await cache.keys()) {
        if (isAppRuntimeFile(request.url, this.origin)) continue;
        const model = cacheName === KOKORO_VOICE_CACHE ? VOICES_ENTRY : cacheName === WEBLLM_CACHES.wasm ? WEBLLM_LIBRARIES_ENTRY : modelIdOf(request.url);
        const response = await cache.match(request);
        const declared = response ? declaredBytes(response) : 0;
        const bytes = Number.isFinite(declared) ? declared : ((await response?.blob())?.size ?? 0);
        const entry = byModel.get(model) ?? { model, bytes: 0, files: 0 };
        byModel.set(model, { model, bytes: entry.bytes + bytes, files: entry.files + 1 });
      }
    }
    return [...byModel.values()].sort((a, b) => a.model.localeCompare(b.model));
  }

  /** Deletes a model's cached files and partial downloads (all voices for VOICES_ENTRY). */
  async remove(source: ModelSource, model: string): Promise<number> {
    if (model === VOICES_ENTRY) return deleteCachedByPrefix(KOKORO_VOICE_CACHE, ['https://']);
    if (model === WEBLLM_LIBRARIES_ENTRY) return deleteCachedByPrefix(WEBLLM_CACHES.wasm, ['https://']);
    const prefix = modelFileUrl(source, model, '', this.origin);
    try {
      const listing = await loadListing(source, model, this.origin);
      for (const file of listing.files) await discardPartial(storeFileFor(source, model, file, this.origin).cacheKey);
    } catch {
      // No listing (offline, never downloaded): nothing partial can be found either.
    }
    await forgetListing(source, model, this.origin);
    let deleted = 0;
    // A model's files are in one of these: transformers.js's cache, or WebLLM's for an MLC build.
    for (const cacheName of [TRANSFORMERS_CACHE, WEBLLM_CACHES.config, WEBLLM_CACHES.model]) deleted += await deleteCachedByPrefix(cacheName, [prefix]);
    return deleted;
  }

  /** Download size per dtype of each model, for the model manager's catalogue. */
  async catalogue(source: ModelSource, models: Pick<StageModelRequest, 'stage' | 'model'>[]): Promise<CatalogueEntry[]> {
    return Promise.all(
      models.map(async ({ stage, model }) => ({ stage, model, sizes: sizesByDtype(stage, await loadListing(source, model, this.origin)) })),
    );
  }
}

/** `org/name` from a cached file URL (`…/models/org/name/file` or `…/org/name/resolve/main/file`). */
/**
 * transformers.js also keeps onnxruntime's wasm (served by the app under `runtime/`) in its
 * cache: that is part of the app, not a model the user could delete.
 */
function isAppRuntimeFile(url: string, origin: string): boolean {
  const parsed = new URL(url);
  return parsed.origin === new URL(origin).origin && parsed.pathname.split('/').includes('runtime');
}

export function modelIdOf(url: string): string {
  const parts = new URL(url).pathname.split('/').filter(Boolean);
  const start = parts[0] === 'models' ? 1 : 0;
  return parts.slice(start, start + 2).join('/');
}
