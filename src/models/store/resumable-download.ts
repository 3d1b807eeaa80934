import { putCached } from '../../engines/model-files/model-cache.ts';
import { DEEP_HASH_LIMIT, type StoreFile } from './cache-entries.ts';
import { DownloadError, isQuotaError, storageFullError } from './download-errors.ts';
import { PartialFile } from './partial-file.ts';
import { fetchRest, type PartialSink } from './range-download.ts';
import { sha256Hex } from './sha256.ts';

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
    if (partial.size < file.bytes) await fetchRestInto(file, partial, options);
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

/** The OPFS partial file as the downloader's sink; a full disk says so in words. */
async function fetchRestInto(file: StoreFile, partial: PartialFile, options: DownloadFileOptions): Promise<void> {
  const sink: PartialSink = {
    append: (chunk) => {
      try {
        partial.append(chunk);
      } catch (error) {
        if (isQuotaError(error)) throw storageFullError(file.path);
        throw error;
      }
    },
    restart: () => partial.restart(),
    flush: () => partial.flush(),
  };
  await fetchRest(file.url, file.path, sink, {
    from: partial.size,
    bytes: file.bytes,
    signal: options.signal,
    // The HTTP cache would keep a second copy of every model; ours is the only one.
    init: { cache: 'no-store' },
    onBytes: (have) => options.onBytes?.(have),
  });
}
