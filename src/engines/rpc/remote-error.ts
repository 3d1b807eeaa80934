import type { SerializedError } from './protocol.ts';

/** Turns anything thrown into something that survives postMessage and keeps a useful message. */
export function serializeError(error: unknown): SerializedError {
  if (error instanceof Error || isErrorLike(error)) {
    const code = (error as { code?: unknown }).code;
    return {
      name: error.name,
      message: error.message || error.name,
      ...(typeof code === 'string' ? { code } : {}),
      ...(error.stack ? { stack: error.stack } : {}),
    };
  }
  // onnxruntime and emscripten sometimes throw numbers or strings.
  return { name: 'Error', message: typeof error === 'string' ? error : `non-Error thrown: ${String(error)}` };
}

function isErrorLike(value: unknown): value is { name: string; message: string; stack?: string } {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { message?: unknown }).message === 'string' &&
    typeof (value as { name?: unknown }).name === 'string'
  );
}

/** An error that happened in a worker, re-thrown on the calling thread. */
export class RemoteError extends Error {
  /** Machine-readable reason from the worker, e.g. `device-lost`. */
  readonly code: string | undefined;
  /** The method that failed, e.g. `asr.transcribe`. */
  readonly method: string;
  /** The stack as it was in the worker. */
  readonly remoteStack: string | undefined;
  /** The worker's own message, without the method prefix: for text shown to the user. */
  readonly remoteMessage: string;

  constructor(method: string, error: SerializedError) {
    super(`${method} failed in worker: ${error.message}`);
    this.name = error.name === 'Error' ? 'RemoteError' : error.name;
    this.code = error.code;
    this.method = method;
    this.remoteStack = error.stack;
    this.remoteMessage = error.message;
  }
}

export function abortError(reason: string): DOMException {
  return new DOMException(reason, 'AbortError');
}

export function isAbortError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'AbortError';
}
