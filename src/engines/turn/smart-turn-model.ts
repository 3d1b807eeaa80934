import { cachedModelFile, putCached, TRANSFORMERS_CACHE } from '../model-files/model-cache.ts';
import { modelFileUrl } from '../model-files/model-url.ts';
import type { ModelSource } from '../types.ts';

/**
 * The Smart Turn v3 graph the app runs: the int8 CPU build (8,679,182 bytes on the hub). The
 * repo's other files (the fp32 GPU build, older versions, README) are never downloaded.
 */
export const SMART_TURN_FILE = 'smart-turn-v3.2-cpu.onnx';

/** Its precision, as the model store and the model manager name it (the file is int8-quantised). */
export const SMART_TURN_DTYPE = 'int8';

/**
 * Where `source` serves the Smart Turn graph of `model`: `https://huggingface.co/<model>/resolve/main/<file>`
 * on the hub, `<host><model>/<file>` on a mirror. Built like every other model file
 * (modelFileUrl), so it is also the key under which the model store caches it. Absolute when
 * an origin is known (a page or worker: `location.origin`); a mirror's origin-relative host
 * stays relative without one.
 */
export function smartTurnModelUrl(source: ModelSource, model: string, origin: string | undefined = globalThis.location?.origin): string {
  if (origin || /^[a-z][a-z0-9+.-]*:/i.test(source.host)) return modelFileUrl(source, model, SMART_TURN_FILE, origin ?? source.host);
  const folder = source.pathTemplate.replaceAll('{model}', model).replaceAll('{revision}', 'main');
  const host = source.host.endsWith('/') ? source.host : `${source.host}/`;
  return `${host}${folder}${folder.endsWith('/') ? '' : '/'}${SMART_TURN_FILE}`;
}

export class SmartTurnModelUnavailableError extends Error {
  constructor(url: string, reason: string) {
    super(`The end-of-turn model (${url}) could not be loaded: ${reason}`);
    this.name = 'SmartTurnModelUnavailableError';
  }
}

/** Keeps a downloaded copy where the model store would have put it, so the next start works offline. */
async function keep(url: string, bytes: ArrayBuffer): Promise<void> {
  if (typeof caches === 'undefined') return;
  try {
    await putCached({ cacheName: TRANSFORMERS_CACHE, cacheKey: url }, new Blob([bytes]));
  } catch {
    // Storage full or refused: the model still runs this time.
  }
}

/**
 * The Smart Turn graph's bytes: from the model store's cache (it downloads the file into
 * `transformers-cache` under its URL before the stages load), else from the network (then kept
 * in that cache). Fails with an error that says which file and why.
 */
export async function fetchSmartTurnModel(url: string, options: { signal?: AbortSignal } = {}): Promise<ArrayBuffer> {
  const cached = await cachedModelFile(url);
  if (cached) return await cached.arrayBuffer();
  let response: Response;
  try {
    response = await fetch(url, { signal: options.signal });
  } catch (error) {
    if (options.signal?.aborted) throw error;
    const detail = error instanceof Error ? error.message : String(error);
    throw new SmartTurnModelUnavailableError(url, `it is not on this device and the download failed (${detail}). Check the connection, then retry.`);
  }
  if (!response.ok) {
    const hint = response.status === 404 ? ' The model source does not have this file: is the turn model part of its model set?' : '';
    throw new SmartTurnModelUnavailableError(url, `the model source answered HTTP ${response.status}.${hint}`);
  }
  const bytes = await response.arrayBuffer();
  if (bytes.byteLength === 0) throw new SmartTurnModelUnavailableError(url, 'the model source sent an empty file.');
  await keep(url, bytes);
  return bytes;
}
