import { StageError } from '../stage-error.ts';
import type { StageName } from '../types.ts';
import type { DeviceLossTracker } from '../webgpu/device-loss.ts';

/** Wraps a failed model load as `load-failed` (or `device-lost`), naming the model and backend. */
export function loadError(stage: StageName, model: string, backend: string, error: unknown, gpu?: DeviceLossTracker): unknown {
  const classified = gpu ? gpu.classify(error) : error;
  if (classified instanceof StageError) return classified;
  const reason = error instanceof Error ? error.message : String(error);
  return new StageError(stage, 'load-failed', `could not load ${model} on ${backend}: ${reason}`, { cause: error });
}
