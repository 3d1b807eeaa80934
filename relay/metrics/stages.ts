import type { TurnDurationsWire } from '../../src/protocol/metrics.ts';

/**
 * Which engine's model and backend a duration is reported under. Whole-pipeline durations
 * go under the LLM, which dominates them; VAD endpointing and playout depend on no model.
 */
export const STAGE_ENGINE: Record<keyof TurnDurationsWire, 'asr' | 'llm' | 'tts' | null> = {
  endpointing: null,
  asr: 'asr',
  llmTtft: 'llm',
  firstSentence: 'llm',
  ttsFirstAudio: 'tts',
  playout: null,
  voiceToVoice: 'llm',
  textToVoice: 'llm',
  orchestrationOverhead: 'llm',
  tokensPerSecond: 'llm',
  total: 'llm',
};
