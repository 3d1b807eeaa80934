import { webLlmBuildFiles } from '../engines/llm/webllm-models.ts';
import { SMART_TURN_DTYPE } from '../engines/turn/smart-turn-model.ts';
import { runByBrowser, type StagePlans } from '../models/capabilities.ts';
import type { StageModelRequest } from '../models/store/store-types.ts';

/**
 * The model files the plan will load, for the model store: each stage's model, and the
 * end-of-turn model `turn` (the set's `turn`, run by the VAD worker) when the set names one. A
 * WebLLM build is asked for by its hub repository and compiled library, stored where WebLLM
 * looks for them (webllm-files.ts), so its size is offered and checked before the download too.
 */
export function stageRequests(plans: StagePlans, voice: string, turn?: string): StageModelRequest[] {
  const { llm } = plans;
  let llmRequest: StageModelRequest = { stage: 'llm', model: llm.model, dtype: llm.dtype };
  if (llm.engine === 'webllm') {
    const { repo, library } = webLlmBuildFiles(llm.model);
    llmRequest = { stage: 'llm', model: repo, dtype: llm.dtype, webllm: library ? { library } : {} };
  }
  const requests: StageModelRequest[] = [
    ...(runByBrowser(plans, 'asr') ? [] : [{ stage: 'asr', model: plans.asr.model, dtype: plans.asr.dtype } as const]),
    llmRequest,
    ...(runByBrowser(plans, 'tts') ? [] : [{ stage: 'tts', model: plans.tts.model, dtype: plans.tts.dtype, voice } as const]),
  ];
  if (turn) requests.push({ stage: 'turn', model: turn, dtype: SMART_TURN_DTYPE });
  return requests;
}
