import { SMART_TURN_DTYPE } from '../engines/turn/smart-turn-model.ts';
import type { StagePlans } from '../models/capabilities.ts';
import type { StageModelRequest } from '../models/store/store-types.ts';

/**
 * The model files the plan will load, for the model store: each stage's model, and the
 * end-of-turn model `turn` (the set's `turn`, run by the VAD worker) when the set names one. WebLLM
 * is left out: it downloads and caches its compiled builds itself (and reports its own progress).
 */
export function stageRequests(plans: StagePlans, voice: string, turn?: string): StageModelRequest[] {
  const requests: StageModelRequest[] = [
    { stage: 'asr', model: plans.asr.model, dtype: plans.asr.dtype },
    { stage: 'tts', model: plans.tts.model, dtype: plans.tts.dtype, voice },
  ];
  if (plans.llm.engine === 'transformers') requests.splice(1, 0, { stage: 'llm', model: plans.llm.model, dtype: plans.llm.dtype });
  if (turn) requests.push({ stage: 'turn', model: turn, dtype: SMART_TURN_DTYPE });
  return requests;
}
