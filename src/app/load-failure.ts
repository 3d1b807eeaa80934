// What a failed model load's message says about its cause, for the recoveries that depend on it.
import { RemoteError } from '../engines/rpc/remote-error.ts';

/** The device (GPU or CPU) ran out of memory for the model. */
export const MEMORY_FAILURE = /device was lost|out of memory|\bOOM\b|allocat|max(Storage)?Buffer(Binding)?Size|exceeds/i;

/** The model's files (or a runtime's) did not arrive: offline, blocked, a server error, a full disk. */
export const DOWNLOAD_FAILURE = /failed to fetch|networkerror|network error|load failed|request failed|content security policy|refused to connect|\bHTTP [45]\d\d\b|quota/i;

/** The runtime's own words, without the worker RPC layer's prefix. */
export function failureMessage(error: unknown): string {
  if (error instanceof RemoteError) return error.remoteMessage;
  return error instanceof Error ? error.message : String(error);
}
