import { AsrClient } from '../engines/asr/asr-client.ts';
import { LlmClient } from '../engines/llm/llm-client.ts';
import { TtsClient } from '../engines/tts/tts-client.ts';
import { VadClient } from '../engines/vad/vad-client.ts';
import type { LoadedStage, ModelSource, StageName, VadParams } from '../engines/types.ts';
import type { StagePlans } from '../models/capabilities.ts';
import { useSession } from '../stores/session-store.ts';

/** The four model stages, one worker each, and which of them are loaded. */
export class StageSet {
  readonly vad = new VadClient();
  readonly asr = new AsrClient();
  readonly llm = new LlmClient();
  readonly tts = new TtsClient();
  private readonly loaded = new Map<StageName, LoadedStage>();

  info(stage: StageName): LoadedStage | undefined {
    return this.loaded.get(stage);
  }

  /**
   * Loads every stage not loaded yet, all at once (downloads overlap), reporting progress to the
   * session store. Resolves with the stages that failed; the others stay loaded for a retry.
   */
  async loadMissing(plans: StagePlans, source: ModelSource, voice: string, vadParams: Partial<VadParams>): Promise<StageName[]> {
    const session = useSession.getState();
    const jobs: Record<StageName, () => Promise<LoadedStage>> = {
      vad: () => this.vad.load({ params: vadParams, onProgress: (progress) => session.setStage('vad', { progress }) }),
      asr: () => this.asr.load({ ...plans.asr, source, onProgress: (progress) => session.setStage('asr', { progress }) }),
      llm: () => this.llm.load({ ...plans.llm, source, onProgress: (progress) => session.setStage('llm', { progress }) }),
      tts: () => this.tts.load({ ...plans.tts, source, voice, onProgress: (progress) => session.setStage('tts', { progress }) }),
    };
    const pending = (Object.keys(jobs) as StageName[]).filter((stage) => !this.loaded.has(stage));
    const results = await Promise.allSettled(
      pending.map(async (stage) => {
        session.setStage(stage, { model: plans[stage].model, backend: plans[stage].backend, ready: false, error: undefined });
        try {
          const info = await jobs[stage]();
          this.loaded.set(stage, info);
          session.setStage(stage, { ready: true, backend: info.backend });
        } catch (error) {
          session.setStage(stage, { error: error instanceof Error ? error.message : String(error) });
          throw error;
        }
      }),
    );
    return pending.filter((_, index) => results[index]?.status === 'rejected');
  }

  /** Reloads one stage (e.g. on wasm after the GPU was lost). */
  forget(stage: StageName): void {
    this.loaded.delete(stage);
  }
}
