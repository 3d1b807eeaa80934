import type { StageName } from './types.ts';

/**
 * Why a stage failed, in a form the app can act on:
 * - `device-lost`: the GPU device went away (driver reset, OOM, tab in background too long).
 *   Reload the stage on wasm and carry on with the conversation.
 * - `load-failed`: model files missing/corrupt or the runtime could not start. Say what, offer retry.
 * - `not-loaded`: a call came before `load()` finished (a bug in the caller).
 * - `unsupported`: the requested backend/engine cannot run here (e.g. WebLLM without WebGPU).
 */
export type StageErrorCode = 'device-lost' | 'load-failed' | 'not-loaded' | 'unsupported';

export class StageError extends Error {
  readonly code: StageErrorCode;
  readonly stage: StageName;

  constructor(stage: StageName, code: StageErrorCode, message: string, options?: { cause?: unknown }) {
    super(`${stage}: ${message}`, options);
    this.name = 'StageError';
    this.stage = stage;
    this.code = code;
  }
}

/**
 * The code of a stage failure, whether thrown in this thread (StageError) or re-thrown from a
 * worker (the RPC layer keeps `code` on the error it re-throws).
 */
export function stageErrorCode(error: unknown): StageErrorCode | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return code === 'device-lost' || code === 'load-failed' || code === 'not-loaded' || code === 'unsupported'
    ? code
    : undefined;
}

export function isDeviceLostError(error: unknown): boolean {
  return stageErrorCode(error) === 'device-lost';
}
