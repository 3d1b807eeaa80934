import { putCached } from '../../engines/model-files/model-cache.ts';
import { DEEP_HASH_LIMIT, type StoreFile } from './cache-entries.ts';
import { DownloadError, isQuotaError, storageFullError } from './download-errors.ts';
import { PartialFile } from './partial-file.ts';
import { sha256Hex } from './sha256.ts';

/** Flush to disk about this often, so a closed tab loses at most this much. */
const FLUSH_EVERY_BYTES = 1024 * 1024;

export interface DownloadFileOptions {
  signal?: AbortSignal;
  /** Called with the bytes of this file now on the device, as they arrive. */
  onBytes?: (have: number) => void;
}

/**
 * One pass at getting `file` into the cache: continues a partial download with a Range request
 * (or starts over when the server ignores Range), verifies size and hash, then stores the file
 * where its library looks for it and removes the partial. A cut connection throws with the bytes
 * so far kept, so a retry (now or after the tab was closed) only fetches the rest.
 */
export async function downloadFile(file: StoreFile, options: DownloadFileOptions = {}): Promise<void> {
  const partial = await PartialFile.open(file.cacheKey);
  let finished = false;
  try {
    if (partial.size > file.bytes) partial.restart();
    if (partial.size < file.bytes) await fetchRest(file, partial, options);
    if (partial.size !== file.bytes) {
      throw new DownloadError(`${file.path} stopped at ${partial.size} of ${file.bytes} bytes`, 'incomplete');
    }
    const body = await partial.finish();
    finished = true;
    if (file.sha256 && file.bytes <= DEEP_HASH_LIMIT && (await sha256Hex(body)) !== file.sha256) {
      await partial.discard();
      throw new DownloadError(`${file.path} arrived damaged (its checksum does not match); it will be downloaded again.`, 'corrupt');
    }
    try {
      await putCached(file, body);
    } catch (error) {
      if (isQuotaError(error)) throw storageFullError(file.path);
      throw error;
    }
    await partial.discard();
  } finally {
    if (!finished) partial.close();
  }
}

async function fetchRest(file: StoreFile, partial: PartialFile, options: DownloadFileOptions): Promise<void> {
  const from = partial.size;
  let response: Response;
  try {
    response = await fetch(file.url, {
      headers: from > 0 ? { range: `bytes=${from}-` } : {},
      signal: options.signal,
      // The HTTP cache would keep a second copy of every model; ours is the only one.
      cache: 'no-store',
    });
  } catch (error) {
    if (options.signal?.aborted) throw error;
    throw new DownloadError(`Could not reach the model source for ${file.path}.`, 'network');
  }
  if (response.status === 206) {
    const start = Number(/^bytes (\d+)-/.exec(response.headers.get('content-range') ?? '')?.[1] ?? NaN);
    if (start !== from) {
      await response.body?.cancel();
      partial.restart();
      throw new DownloadError(`${file.path}: the server resumed at the wrong place; starting it over.`, 'incomplete');
    }
  } else if (response.ok) {
    // The server sent the whole file (no Range support): start over.
    partial.restart();
  } else {
    await response.body?.cancel();
    throw new DownloadError(`The model source answered ${response.status} for ${file.path}.`, 'network');
  }
  if (!response.body) throw new DownloadError(`${file.path}: the response had no body.`, 'network');

  const reader = response.body.getReader();
  let sinceFlush = 0;
  try {
    for (;;) {
      let chunk: ReadableStreamReadResult<Uint8Array>;
      try {
        chunk = await reader.read();
      } catch (error) {
        if (options.signal?.aborted) throw error;
        throw new DownloadError(`The connection dropped while downloading ${file.path}.`, 'network');
      }
      if (chunk.done) break;
      try {
        partial.append(chunk.value);
      } catch (error) {
        if (isQuotaError(error)) throw storageFullError(file.path);
        throw error;
      }
      sinceFlush += chunk.value.byteLength;
      if (sinceFlush >= FLUSH_EVERY_BYTES) {
        partial.flush();
        sinceFlush = 0;
      }
      options.onBytes?.(partial.size);
      if (partial.size > file.bytes) {
        partial.restart();
        throw new DownloadError(`${file.path} is larger than the model source said; it will be downloaded again.`, 'corrupt');
      }
    }
  } finally {
    reader.releaseLock();
    partial.flush();
  }
}
