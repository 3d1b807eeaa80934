// One small inference at the end of a stage's load(), before it reports ready. onnxruntime
// initialises kernels, sizes its buffers and (on WebGPU) compiles shaders on a session's first
// runs; without a warm-up the user's first turn pays for all of that, as the transformers.js
// demos also avoid.
//
// A failed warm-up does not fail the load: the model did load, and a warm-up can fail for reasons
// the real calls do not share (a voice file that is not there, a quirk of the dummy input). The
// stage stays usable; its first real call is only as slow as it would have been without a warm-up
// and, if the model really cannot run, fails there with that call's usual error. It is not silent
// either: the worker logs a warning and the LoadedStage carries `warmupError`. The exception is a
// lost GPU device: nothing can run on it, so the load fails with `device-lost` and the app reloads
// the stage on wasm, as it would for a loss at any other time.
import { isDeviceLostError } from '../stage-error.ts';
import type { LoadedStage, ProgressOptions, StageName } from '../types.ts';
import type { DeviceLossTracker } from '../webgpu/device-loss.ts';

/** What a warm-up adds to a LoadedStage. */
export interface WarmUpReport {
  /** Time the warm-up inference took (failed or not), in ms. */
  warmupMs: number;
  /** Why it failed; absent when it ran. */
  warmupError?: string;
}

/** Runs `inference` as `stage`'s warm-up; see the policy above. Throws only a device-lost StageError. */
export async function warmUp(stage: StageName, inference: () => Promise<unknown>, gpu?: DeviceLossTracker): Promise<WarmUpReport> {
  const started = performance.now();
  try {
    await inference();
    return { warmupMs: performance.now() - started };
  } catch (error) {
    const classified = gpu ? gpu.classify(error) : error;
    if (isDeviceLostError(classified)) throw classified;
    const message = error instanceof Error ? error.message : String(error);
    console.warn(`${stage}: warm-up inference failed (${message}); the model stays loaded, and its first real call pays the first-run cost`);
    return { warmupMs: performance.now() - started, warmupError: message };
  }
}

/** What an engine knows of its stage once the model is in memory. */
export interface StageReady extends ProgressOptions {
  stage: StageName;
  model: string;
  backend: LoadedStage['backend'];
  dtype: string;
  /** `performance.now()` when load() began. */
  startedAt: number;
  /** The warm-up inference; none when the stage has nothing to run yet (a TTS without a voice). */
  inference?: () => Promise<unknown>;
  gpu?: DeviceLossTracker;
  /** Frees the model: a warm-up that finds the GPU lost leaves nothing worth keeping. */
  unload: () => Promise<void>;
}

/** The end every engine's load() shares: the warm-up, then "ready" to the listener, then the LoadedStage. */
export async function finishLoad(ready: StageReady): Promise<LoadedStage> {
  let warm: WarmUpReport | undefined;
  if (ready.inference) {
    try {
      warm = await warmUp(ready.stage, ready.inference, ready.gpu);
    } catch (error) {
      await ready.unload();
      throw error;
    }
  }
  ready.onProgress?.({ stage: ready.stage, loaded: 0, total: 0, status: 'ready' });
  const { stage, model, backend, dtype } = ready;
  return { stage, model, backend, dtype, loadMs: performance.now() - ready.startedAt, ...warm };
}
