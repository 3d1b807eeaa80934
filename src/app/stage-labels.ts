import type { VoiceStage } from '../voice/events.ts';

/** What each stage is called in front of the user (`turn`: the end-of-turn model the model store keeps). */
export const STAGE_LABELS: Record<VoiceStage | 'turn', string> = {
  vad: 'Voice detection',
  asr: 'Speech recognition',
  llm: 'Language model',
  tts: 'Speech synthesis',
  player: 'Audio playback',
  turn: 'End-of-turn detection',
};
