import { AsrClient } from '../engines/asr/asr-client.ts';
import { LlmClient, type LoadedLlm } from '../engines/llm/llm-client.ts';
import { TtsClient } from '../engines/tts/tts-client.ts';
import { smartTurnModelUrl } from '../engines/turn/smart-turn-model.ts';
import { VadClient } from '../engines/vad/vad-client.ts';
import type { LoadedStage, StageName, VadParams } from '../engines/types.ts';
import type { ModelSource } from '../protocol/model-set.ts';
import { runByBrowser, type LlmLoadStep, type LlmStagePlan, type StagePlan, type StagePlans } from '../models/capabilities.ts';
import { useSession } from '../stores/session-store.ts';
import { useSettings } from '../stores/settings-store.ts';
import { ensureModels, repairAfterLoadFailure } from './ensure-models.ts';
import {
  freshFallbackState,
  LlmFilesPendingError,
  loadLlmWithFallback,
  planFromStep,
  sameStep,
  type LlmFallbackDeps,
  type LlmFallbackState,
} from './llm-fallback.ts';
import { stageRequests } from './model-requests.ts';
import { retryInFullPrecision } from './precision-fallback.ts';

/** Where the stages' models come from, and the choices that go with them. */
export interface StageSources {
  source: ModelSource;
  voice: string;
  vadParams: VadParams;
  /** The end-of-turn model's id (the set's `turn`); absent: the silence ends turns. */
  turnModel?: string;
}

/** The four model stages, one worker each, and which of them are loaded. */
export class StageSet {
  readonly vad = new VadClient();
  readonly asr = new AsrClient();
  readonly llm = new LlmClient();
  readonly tts = new TtsClient();
  private readonly loaded = new Map<StageName, LoadedStage>();
  /** The LLM step that loaded (the plan's own, or a fallback). */
  private llmStep: LlmLoadStep | undefined;
  /** Per LLM plan, where its fallback chain stands (a retry resumes there). */
  private readonly llmChains = new Map<string, LlmFallbackState>();
  private llmPending: LlmFilesPendingError['outcome'] | undefined;
  /** The dtype a stage runs after its quantized build was refused (precision-fallback.ts); kept for reloads. */
  private readonly precision = new Map<'asr' | 'tts', string>();

  /** What loaded: for the LLM, the engine, model and backend really running (after any fallback). */
  info(stage: 'llm'): LoadedLlm | undefined;
  info(stage: StageName): LoadedStage | undefined;
  info(stage: StageName): LoadedStage | undefined {
    return this.loaded.get(stage);
  }

  /**
   * The plans as they run: after an LLM fallback, the LLM's plan is the step that loaded (with
   * the fallbacks after it), not the plan's first step; a stage whose quantized build was refused
   * runs its full-precision one. The same plans while nothing fell back.
   */
  effectivePlans(plans: StagePlans): StagePlans {
    const step = this.llmStep;
    const llm = step && !sameStep(step, plans.llm) ? planFromStep(plans.llm, step) : plans.llm;
    if (llm === plans.llm && this.precision.size === 0) return plans;
    const precise = (stage: 'asr' | 'tts'): StagePlan => {
      const dtype = this.precision.get(stage);
      return dtype ? { ...plans[stage], dtype } : plans[stage];
    };
    return { ...plans, asr: precise('asr'), tts: precise('tts'), llm };
  }

  /**
   * Why the LLM did not load on the last try when it was not a failure of its own: a fallback
   * step waits for its model files ('needs-approval': the model store offers the download;
   * 'failed': the download stopped, the model store said why). Undefined otherwise.
   */
  llmFilesPending(): LlmFilesPendingError['outcome'] | undefined {
    return this.llmPending;
  }

  /**
   * Loads every stage not loaded yet, all at once (downloads overlap), reporting progress to the
   * session store. Resolves with the stages that failed; the others stay loaded for a retry.
   * The LLM goes through its fallback chain (llm-fallback.ts): WebLLM on WebGPU, then
   * transformers.js on WebGPU, then on wasm, each change told in a notice.
   */
  async loadMissing(plans: StagePlans, sources: StageSources): Promise<StageName[]> {
    const { source, voice, vadParams, turnModel } = sources;
    const session = useSession.getState();
    const effective = this.effectivePlans(plans);
    const jobs: Record<StageName, () => Promise<LoadedStage>> = {
      vad: () => this.loadVad(source, vadParams, turnModel),
      asr: () =>
        this.loadPrecise('asr', effective.asr, plans, sources, (plan) =>
          this.asr.load({ ...plan, source, onProgress: (progress) => session.setStage('asr', { progress }) }),
        ),
      llm: () => this.loadLlm(plans, source, voice, turnModel),
      tts: () =>
        this.loadPrecise('tts', effective.tts, plans, sources, (plan) =>
          this.tts.load({ ...plan, source, voice, onProgress: (progress) => session.setStage('tts', { progress }) }),
        ),
    };
    // A stage the browser's own speech engine runs has no model to load.
    const pending = (Object.keys(jobs) as StageName[]).filter((stage) => !this.loaded.has(stage) && !runByBrowser(plans, stage));
    const results = await Promise.allSettled(
      pending.map(async (stage) => {
        session.setStage(stage, { model: plans[stage].model, backend: plans[stage].backend, ready: false, error: undefined });
        try {
          const info = await jobs[stage]();
          this.loaded.set(stage, info);
          session.setStage(stage, { ready: true, model: info.model, backend: info.backend });
        } catch (error) {
          session.setStage(stage, { error: error instanceof Error ? error.message : String(error) });
          throw error;
        }
      }),
    );
    return pending.filter((_, index) => results[index]?.status === 'rejected');
  }

  /** Loads `plan`; when its quantized build is refused, the full-precision one (with a notice). */
  private async loadPrecise(
    stage: 'asr' | 'tts',
    plan: StagePlan,
    plans: StagePlans,
    { source, voice, turnModel }: StageSources,
    load: (plan: StagePlan) => Promise<LoadedStage>,
  ): Promise<LoadedStage> {
    const session = useSession.getState();
    // The plan's requests with this stage's build swapped: the model store's inventory stays whole.
    const requests = (candidate: StagePlan) => stageRequests({ ...this.effectivePlans(plans), [stage]: candidate }, voice, turnModel);
    try {
      return await load(plan);
    } catch (error) {
      const { loaded } = await retryInFullPrecision(stage, plan, error, {
        load,
        ensureFiles: (full) => ensureModels(source, requests(full), useSettings.getState().modelDownloadsApproved),
        repair: (same) => repairAfterLoadFailure(source, requests(same).filter((request) => request.stage === stage)),
        notify: (notice) => session.notify(notice),
        onSwitch: (full) => {
          this.precision.set(stage, full.dtype);
          session.setStage(stage, { progress: undefined, error: undefined });
        },
      });
      return loaded;
    }
  }

  /**
   * Silero with the end-of-turn model beside it. Without that model the VAD still works and the
   * silence ends turns; the user is told, once, with the wait that now applies.
   */
  private async loadVad(source: ModelSource, vadParams: VadParams, turnModel: string | undefined): Promise<LoadedStage> {
    const session = useSession.getState();
    const info = await this.vad.load({
      params: vadParams,
      ...(turnModel ? { turnModelUrl: smartTurnModelUrl(source, turnModel) } : {}),
      onProgress: (progress) => session.setStage('vad', { progress }),
    });
    if (!turnModel || info.turnModel.loaded) {
      session.dismiss('turn-model');
    } else {
      const reason = info.turnModel.error ? ` (${info.turnModel.error})` : '';
      session.notify({
        id: 'turn-model',
        level: 'warning',
        text: `Could not load the end-of-turn model${reason}. Your turn now ends after a pause of ${(vadParams.redemptionMs / 1000).toFixed(1)} s; Settings can change it.`,
      });
    }
    return info;
  }

  private async loadLlm(plans: StagePlans, source: ModelSource, voice: string, turnModel: string | undefined): Promise<LoadedLlm> {
    const session = useSession.getState();
    const deps: LlmFallbackDeps = {
      load: (step) => this.llm.load({ ...step, source, onProgress: (progress) => session.setStage('llm', { progress }) }),
      // All the plan's requests with this step's LLM: the model store's inventory stays whole.
      ensureFiles: (step) => ensureModels(source, stageRequests({ ...plans, llm: step }, voice, turnModel), useSettings.getState().modelDownloadsApproved),
      repair: (step) => repairAfterLoadFailure(source, [{ stage: 'llm', model: step.model, dtype: step.dtype }]),
      notify: (notice) => session.notify(notice),
      dismiss: (id) => session.dismiss(id),
      onStep: (step) => session.setStage('llm', { model: step.model, backend: step.backend, progress: undefined, error: undefined }),
    };
    this.llmPending = undefined;
    try {
      const { info, step } = await loadLlmWithFallback(plans.llm, deps, this.chainFor(plans.llm));
      this.llmStep = step;
      return info;
    } catch (error) {
      if (error instanceof LlmFilesPendingError) this.llmPending = error.outcome;
      throw error;
    }
  }

  private chainFor(plan: LlmStagePlan): LlmFallbackState {
    const key = [plan.engine, plan.backend, plan.model, plan.dtype].join('|');
    let state = this.llmChains.get(key);
    if (!state) {
      state = freshFallbackState();
      this.llmChains.set(key, state);
    }
    return state;
  }

  /** Reloads one stage (e.g. on wasm after the GPU was lost). */
  forget(stage: StageName): void {
    this.loaded.delete(stage);
    if (stage === 'llm') this.llmStep = undefined;
  }
}
