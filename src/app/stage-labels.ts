import type { VoiceStage } from '../voice/events.ts';

/** What each stage is called in front of the user. */
export const STAGE_LABELS: Record<VoiceStage, string> = {
  vad: 'Voice detection',
  asr: 'Speech recognition',
  llm: 'Language model',
  tts: 'Speech synthesis',
  player: 'Audio playback',
};
