/** Why a model download stopped, in words for the person using the app. */
export class DownloadError extends Error {
  constructor(
    message: string,
    /** `storage-full`: the device ran out of space; `corrupt`: the bytes did not match; `network`: the connection failed or the server refused. */
    readonly reason: 'network' | 'storage-full' | 'corrupt' | 'incomplete',
  ) {
    super(message);
    this.name = 'DownloadError';
  }
}

export function isQuotaError(error: unknown): boolean {
  return error instanceof DOMException && (error.name === 'QuotaExceededError' || error.code === 22);
}

export function storageFullError(file: string): DownloadError {
  return new DownloadError(`The device ran out of storage while saving ${file}. Free some space, then retry; the download continues where it stopped.`, 'storage-full');
}
