// The knobs of the voice loop. A turn takes a snapshot when it starts, so a change made during a
// turn (a new system prompt, another voice) applies from the next turn on.
import type { SentenceSplitterOptions } from './sentence-splitter.ts';

export type ResponseMode = 'fast' | 'balanced' | 'detailed';

export interface VoiceSettings {
  systemPrompt: string;
  responseMode: ResponseMode;
  /** Reply length cap per response mode, in tokens. */
  maxTokens: Record<ResponseMode, number>;
  temperature?: number;
  /** TTS voice id (Kokoro: `af_heart`, ...). */
  voice: string;
  speed?: number;
  /** Ignore the microphone while the assistant speaks (speakers without good echo cancellation). */
  halfDuplex: boolean;
  /** Longer utterances are cut to this many seconds before transcription. */
  maxUtteranceSeconds: number;
  /**
   * Show the words while the user speaks: the ASR runs on the audio so far whenever it is idle.
   * Off on slow devices, where those runs would only compete with the rest of the loop.
   */
  partialTranscripts: boolean;
  /**
   * At the user's short pause, start transcribing and answering before the turn is committed;
   * kept if the user was done, dropped unseen if they go on. Nothing plays before the commit.
   */
  eagerReplies: boolean;
  /** History sent to the LLM, in characters (small models have small context windows). */
  contextChars: number;
  splitter: SentenceSplitterOptions;
  /**
   * Segments synthesised ahead of playback: synthesis pauses while this many segments are queued
   * or playing, so a barge-in wastes little TTS work. 2 = synthesise sentence n+1 while n plays.
   */
  maxSegmentsAhead: number;
  /**
   * false: the naive sequential pipeline, kept only as the benchmark's baseline: the whole reply
   * is generated, then synthesised as one chunk, then played. true (default): sentence by sentence.
   */
  streaming?: boolean;
}

export const DEFAULT_VOICE_SETTINGS: VoiceSettings = {
  systemPrompt:
    'You are a helpful voice assistant. Your replies are spoken aloud, so answer in short, plain sentences without lists, markdown or emoji.',
  responseMode: 'balanced',
  maxTokens: { fast: 96, balanced: 256, detailed: 768 },
  voice: 'af_heart',
  halfDuplex: false,
  maxUtteranceSeconds: 30,
  partialTranscripts: true,
  eagerReplies: true,
  contextChars: 6000,
  splitter: {},
  maxSegmentsAhead: 2,
  streaming: true,
};

export function withDefaults(settings: Partial<VoiceSettings> = {}): VoiceSettings {
  return {
    ...DEFAULT_VOICE_SETTINGS,
    ...settings,
    maxTokens: { ...DEFAULT_VOICE_SETTINGS.maxTokens, ...settings.maxTokens },
    splitter: { ...DEFAULT_VOICE_SETTINGS.splitter, ...settings.splitter },
  };
}
