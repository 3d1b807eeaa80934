import {
  LEGACY_VOICE_TO_VOICE,
  VOICE_TO_VOICE_FROM_LAST_SPEECH,
  type TurnDurationsWire,
  type TurnMetric,
} from '../../src/protocol/metrics.ts';

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
  // The end-of-turn model is none of the three engines: reported for all models together.
  turnModel: null,
  tokensPerSecond: 'llm',
  total: 'llm',
};

/** The definitions a turn's durations follow; 1 for apps from before `timingVersion`. */
export function timingVersionOf(turn: Pick<TurnMetric, 'timingVersion'>): number {
  return turn.timingVersion ?? 1;
}

/**
 * The stage a duration is stored and reported under: the wire name, except for voice to voice
 * measured the old way (from `speechEnd`), kept apart as `voiceToVoiceFromSpeechEnd`.
 */
export function storedStage(stage: keyof TurnDurationsWire, turn: Pick<TurnMetric, 'timingVersion'>): string {
  return stage === 'voiceToVoice' && timingVersionOf(turn) < VOICE_TO_VOICE_FROM_LAST_SPEECH ? LEGACY_VOICE_TO_VOICE : stage;
}
