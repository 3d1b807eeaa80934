// A quantized build that will not load: try the stage's full-precision build, once, and say so.
//
// Quantized ONNX exports break in ways the full-precision graph does not: q8 graphs with tied
// embeddings have failed to load in onnxruntime builds of 2026 ("Missing required scale"), and an
// export that leaves out a scale tensor fails session creation with "Node input '…_scale' is not a
// graph input, initializer, or output". The fp32 file of the same model is larger and slower on
// the CPU, but it loads: a working assistant beats an error.
import { isDeviceLostError } from '../engines/stage-error.ts';
import type { ModelStage, StagePlan } from '../models/capabilities.ts';
import type { Notice } from '../stores/session-store.ts';
import type { ModelsOutcome } from './ensure-models.ts';
import { DOWNLOAD_FAILURE, failureMessage, MEMORY_FAILURE } from './load-failure.ts';
import { STAGE_LABELS } from './stage-labels.ts';

/**
 * The 8-bit dtypes, the CPU plans' builds. Not the 4-bit GPU builds: their fp32 twin is four to
 * eight times their size in GPU memory, and the LLM's chain already goes on to the CPU after them.
 */
const QUANTIZED = new Set(['q8', 'int8', 'uint8']);

const FULL_PRECISION = 'fp32';

/** The notice a stage's precision change keeps up to date. */
export const precisionNoticeId = (stage: ModelStage): string => `precision-${stage}`;

/**
 * The dtype to retry with when `dtype` (or, for encoder/decoder models, either part of
 * `encoder/decoder`) is a quantized build; undefined when it is full precision already.
 */
export function fullPrecisionOf(dtype: string): string | undefined {
  return dtype.split('/').some((part) => QUANTIZED.has(part)) ? FULL_PRECISION : undefined;
}

/**
 * Whether a failed load looks like the graph itself was refused, not the GPU going away, memory
 * running out or the files not arriving (those have their own recoveries, and a larger
 * full-precision build would make the memory case worse).
 */
export function isGraphFailure(error: unknown): boolean {
  if (isDeviceLostError(error)) return false;
  const message = failureMessage(error);
  return !MEMORY_FAILURE.test(message) && !DOWNLOAD_FAILURE.test(message);
}

export interface PrecisionFallbackDeps<Plan extends StagePlan, Loaded> {
  load(plan: Plan): Promise<Loaded>;
  /** Puts `plan`'s files on the device through the model store (approval, space check, progress). */
  ensureFiles(plan: Plan): Promise<ModelsOutcome>;
  notify(notice: Pick<Notice, 'id' | 'level' | 'text'>): void;
  /**
   * Hashes the cached files of `plan` and downloads again what is damaged; true when something
   * was. A damaged file fails the load like a refused graph, and the same build is then tried once more.
   */
  repair?(plan: Plan): Promise<boolean>;
  /** The stage now runs (or waits to run) `plan`, the full-precision build: what reloads and the model manager should use. */
  onSwitch?(plan: Plan): void;
}

/** The full-precision build's files are not on the device yet: approval pending, or the download failed. */
export class PrecisionFilesPendingError extends Error {
  constructor(
    readonly stage: ModelStage,
    readonly outcome: Exclude<ModelsOutcome, 'ready'>,
  ) {
    super(`${stage}: the full-precision build's files are not on this device (${outcome})`);
    this.name = 'PrecisionFilesPendingError';
  }
}

/**
 * After `plan` failed to load with `error` (neither a lost GPU nor a failed download): repairs
 * damaged cached files and tries `plan` once more; when it still fails and is an 8-bit build,
 * loads the full-precision build instead (its files through the model store first), told in a
 * notice. Resolves with what loaded and its plan; otherwise rethrows the failure.
 */
export async function retryInFullPrecision<Plan extends StagePlan, Loaded>(
  stage: ModelStage,
  plan: Plan,
  error: unknown,
  deps: PrecisionFallbackDeps<Plan, Loaded>,
): Promise<{ loaded: Loaded; plan: Plan }> {
  if (!isGraphFailure(error)) throw error;
  if (deps.repair && (await deps.repair(plan).catch(() => false))) {
    try {
      return { loaded: await deps.load(plan), plan };
    } catch (again) {
      error = again;
    }
  }
  const dtype = fullPrecisionOf(plan.dtype);
  if (!dtype) throw error;
  const full: Plan = { ...plan, dtype };
  deps.onSwitch?.(full);
  const label = STAGE_LABELS[stage].toLowerCase();
  const why = `The compact build (${plan.dtype}) of ${label} could not be loaded in this browser (${runtimeReason(error)}).`;
  const id = precisionNoticeId(stage);
  deps.notify({ id, level: 'warning', text: `${why} Loading its full-precision build instead: a larger download, slower on the CPU.` });
  const files = await deps.ensureFiles(full).catch((): ModelsOutcome => 'failed');
  if (files !== 'ready') {
    const next = files === 'needs-approval' ? 'approve its download to continue' : 'its download failed; retry to continue';
    deps.notify({ id, level: files === 'needs-approval' ? 'warning' : 'error', text: `${why} Its full-precision build is needed instead: ${next}.` });
    throw new PrecisionFilesPendingError(stage, files);
  }
  const loaded = await deps.load(full);
  deps.notify({ id, level: 'warning', text: `${why} Its full-precision build runs instead (slower on the CPU).` });
  return { loaded, plan: full };
}

/** onnxruntime's own words when it gave them ("Invalid model. Node input … is not …"), else the whole message; shortened. */
function runtimeReason(error: unknown): string {
  const message = failureMessage(error);
  const text = (/ERROR_MESSAGE: (.*)$/s.exec(message)?.[1] ?? message).replace(/\s+/g, ' ').trim();
  return text.length > 160 ? `${text.slice(0, 157)}...` : text;
}
