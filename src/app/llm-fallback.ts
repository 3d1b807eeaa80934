import { isDeviceLostError } from '../engines/stage-error.ts';
import type { LoadedLlm } from '../engines/llm/llm-client.ts';
import type { Backend } from '../engines/types.ts';
import type { LlmLoadStep, LlmStagePlan } from '../models/capabilities.ts';
import type { Notice } from '../stores/session-store.ts';
import type { ModelsOutcome } from './ensure-models.ts';
import { DOWNLOAD_FAILURE, failureMessage, MEMORY_FAILURE } from './load-failure.ts';
import { PrecisionFilesPendingError, retryInFullPrecision } from './precision-fallback.ts';

/** The one notice the fallback keeps up to date (a later step replaces an earlier text). */
export const LLM_FALLBACK_NOTICE = 'llm-fallback';

export interface LlmFallbackDeps {
  /** Loads one step (in a fresh worker); rejects when it cannot run. */
  load(step: LlmLoadStep): Promise<LoadedLlm>;
  /**
   * Puts a transformers.js step's model files on the device through the model store (the same
   * approval, space check and download the app uses for every stage). Only called for fallback
   * steps: the plan's own first step is downloaded before the stages load.
   */
  ensureFiles(step: LlmLoadStep): Promise<ModelsOutcome>;
  /**
   * After a transformers.js step failed to load: hash its cached files, download again what is
   * damaged; true when something was repaired (the step is then tried once more).
   */
  repair?(step: LlmLoadStep): Promise<boolean>;
  notify(notice: Pick<Notice, 'id' | 'level' | 'text'>): void;
  dismiss(id: string): void;
  /** A step starts loading (the UI shows its model and backend). */
  onStep?(step: LlmLoadStep): void;
}

export interface LlmStepFailure {
  step: LlmLoadStep;
  /** Why, in words for people ("its files could not be downloaded"). */
  why: string;
}

/**
 * Where a plan's chain stands, kept by the caller between loads of the same plan: a retry (after
 * the user approved a download, or after a failed download) starts at the step it stopped at
 * instead of failing through WebLLM again.
 */
export interface LlmFallbackState {
  /** Index into [plan, ...plan.fallbacks] of the step to try next. */
  next: number;
  failures: LlmStepFailure[];
}

export function freshFallbackState(): LlmFallbackState {
  return { next: 0, failures: [] };
}

export interface LlmFallbackResult {
  info: LoadedLlm;
  /** The step that runs the model (the plan's own, or a fallback). */
  step: LlmLoadStep;
}

/** A fallback step waits for its model files: the user must approve the download, or it failed. */
export class LlmFilesPendingError extends Error {
  readonly outcome: Exclude<ModelsOutcome, 'ready'>;
  constructor(step: LlmLoadStep, outcome: Exclude<ModelsOutcome, 'ready'>) {
    super(
      outcome === 'needs-approval'
        ? `llm: ${stepLabel(step)} needs the model files downloaded first (waiting for approval)`
        : `llm: the model files for ${stepLabel(step)} could not be downloaded`,
    );
    this.name = 'LlmFilesPendingError';
    this.outcome = outcome;
  }
}

/** Every step failed. */
export class LlmUnavailableError extends Error {
  readonly failures: LlmStepFailure[];
  constructor(text: string, failures: LlmStepFailure[]) {
    super(text);
    this.name = 'LlmUnavailableError';
    this.failures = failures;
  }
}

/** The steps of a plan in the order they are tried. */
export function llmSteps(plan: LlmStagePlan): LlmLoadStep[] {
  const { fallbacks, ...first } = plan;
  return [first, ...(fallbacks ?? [])];
}

/** The plan as it runs from `step` on: that step first, the fallbacks after it kept. */
export function planFromStep(plan: LlmStagePlan, step: LlmLoadStep): LlmStagePlan {
  const steps = llmSteps(plan);
  const index = steps.findIndex((candidate) => sameStep(candidate, step));
  const rest = index < 0 ? [] : steps.slice(index + 1);
  return { ...step, ...(rest.length > 0 ? { fallbacks: rest } : {}) };
}

export function sameStep(a: LlmLoadStep, b: LlmLoadStep): boolean {
  return a.engine === b.engine && a.backend === b.backend && a.model === b.model && a.dtype === b.dtype;
}

/**
 * Loads the language model: the plan's step, and on failure each fallback in turn (WebLLM on
 * WebGPU -> transformers.js on WebGPU -> transformers.js on wasm). A lost GPU skips the other
 * WebGPU steps. Every change of step is told in one notice (why the last step failed, what
 * loads now); a fallback that needs its files first goes through the model store, and when they
 * are not there yet (approval, failed download) the chain stops with LlmFilesPendingError,
 * `state` pointing at that step for the next try. `state` is updated in place.
 */
export async function loadLlmWithFallback(plan: LlmStagePlan, deps: LlmFallbackDeps, state: LlmFallbackState = freshFallbackState()): Promise<LlmFallbackResult> {
  const steps = llmSteps(plan);
  if (state.next >= steps.length) Object.assign(state, freshFallbackState());
  for (let index = state.next; index < steps.length; index++) {
    const step = steps[index] as LlmLoadStep;
    state.next = index;
    if (step.backend === 'webgpu' && state.failures.some((failure) => failure.why === GPU_LOST)) continue;
    if (state.failures.length > 0) deps.notify({ id: LLM_FALLBACK_NOTICE, level: 'warning', text: fallbackText(state.failures, step, 'loading') });

    if (index > 0 && step.engine === 'transformers') {
      const files = await deps.ensureFiles(step).catch((): ModelsOutcome => 'failed');
      if (files !== 'ready') {
        deps.notify({
          id: LLM_FALLBACK_NOTICE,
          level: files === 'needs-approval' ? 'warning' : 'error',
          text: fallbackText(state.failures, step, files),
        });
        throw new LlmFilesPendingError(step, files);
      }
    }

    deps.onStep?.(step);
    try {
      const loaded = await loadStep(step, deps);
      if (state.failures.length === 0) deps.dismiss(LLM_FALLBACK_NOTICE);
      else deps.notify({ id: LLM_FALLBACK_NOTICE, level: 'warning', text: fallbackText(state.failures, step, 'running') });
      return loaded;
    } catch (error) {
      if (error instanceof LlmFilesPendingError) throw error;
      state.failures.push({ step, why: whyLlmFailed(error, step.backend) });
    }
  }
  const text = `The language model could not be loaded: ${state.failures.map((failure) => `${stepLabel(failure.step)} (${failure.why})`).join(', ')}.`;
  const failures = state.failures;
  // A retry starts over: what failed now (often the connection) may work then.
  Object.assign(state, freshFallbackState());
  deps.notify({ id: LLM_FALLBACK_NOTICE, level: 'error', text });
  throw new LlmUnavailableError(text, failures);
}

/**
 * Loads one step. A transformers.js step that fails is tried once more after its damaged cached
 * files are downloaded again, and a refused 8-bit build gives way to the full-precision one
 * (precision-fallback.ts): the step that loaded is returned.
 */
async function loadStep(step: LlmLoadStep, deps: LlmFallbackDeps): Promise<LlmFallbackResult> {
  try {
    return { info: await deps.load(step), step };
  } catch (error) {
    if (step.engine !== 'transformers') throw error;
    try {
      const { loaded, plan } = await retryInFullPrecision('llm', step, error, {
        load: deps.load.bind(deps),
        ensureFiles: deps.ensureFiles.bind(deps),
        notify: deps.notify.bind(deps),
        repair: deps.repair?.bind(deps),
      });
      return { info: loaded, step: plan };
    } catch (failure) {
      if (failure instanceof PrecisionFilesPendingError) throw new LlmFilesPendingError({ ...step, dtype: 'fp32' }, failure.outcome);
      throw failure;
    }
  }
}

const GPU_LOST = 'the GPU stopped responding';

/** Why a step failed, in words for people; the library's own message when it fits no known case. */
export function whyLlmFailed(error: unknown, backend: Backend = 'webgpu'): string {
  if (isDeviceLostError(error)) return GPU_LOST;
  const message = failureMessage(error);
  if (/no prebuilt model|model_lib/i.test(message)) return 'it has no compiled build of this model';
  if (MEMORY_FAILURE.test(message)) {
    return backend === 'webgpu' ? 'the GPU does not have enough memory for it' : 'this device does not have enough memory for it';
  }
  if (DOWNLOAD_FAILURE.test(message)) {
    return 'its files could not be downloaded';
  }
  if (/shader-f16|requires feature|webgpu is not (supported|available)|cannot find webgpu/i.test(message)) return 'this browser or GPU lacks a WebGPU feature it needs';
  const brief = message.replace(/^llm: /, '').replace(/\s+/g, ' ').trim();
  return `it reported "${brief.length > 160 ? `${brief.slice(0, 157)}...` : brief}"`;
}

/** "WebLLM on the GPU", "transformers.js on the CPU". */
export function stepLabel(step: LlmLoadStep): string {
  return `${step.engine === 'webllm' ? 'WebLLM' : 'transformers.js'} on the ${step.backend === 'webgpu' ? 'GPU' : 'CPU'}`;
}

type NoticePhase = 'loading' | 'running' | Exclude<ModelsOutcome, 'ready'>;

/** The notice text: what failed and why, then what happens now. */
export function fallbackText(failures: LlmStepFailure[], now: LlmLoadStep, phase: NoticePhase): string {
  const failed =
    failures.length === 1
      ? `The language model could not start with ${stepLabel(failures[0]!.step)}: ${failures[0]!.why}.`
      : `The language model could not start with ${failures.map((failure) => `${stepLabel(failure.step)} (${failure.why})`).join(' nor with ')}.`;
  const slower = now.backend === 'wasm' ? ' (slower)' : '';
  switch (phase) {
    case 'loading':
      return `${failed} Loading it with ${stepLabel(now)} instead${slower}.`;
    case 'running':
      return `${failed} It now runs with ${stepLabel(now)}${slower}.`;
    case 'needs-approval':
      return `${failed} To run it with ${stepLabel(now)} instead, its files must be downloaded first: approve the download to continue.`;
    case 'failed':
      return `${failed} Its files for ${stepLabel(now)} could not be downloaded; retry to continue.`;
  }
}
