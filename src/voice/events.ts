// Everything the voice loop tells the UI. One discriminated union, so a store binds with one
// `switch`; every event that concerns a turn carries its `turnId`.
import type { StageName } from '../engines/types.ts';
import type { TurnTimingRecord } from '../metrics/turn-timing.ts';
import type { HistoryMessage } from './history.ts';

/**
 * idle: not listening (mic off or muted) · listening: waiting for speech · hearing: the user
 * speaks · thinking: transcribing and generating, nothing audible yet · speaking: reply playing.
 */
export type VoiceState = 'idle' | 'listening' | 'hearing' | 'thinking' | 'speaking';

export type VoiceStage = StageName | 'player';

/** How a turn ended. `discarded`: the utterance held no speech (noise, silence), no reply. */
export type TurnOutcome = 'completed' | 'interrupted' | 'failed' | 'discarded';

export type VoiceNotice =
  | { kind: 'utterance-capped'; turnId: string; maxSeconds: number; seconds: number }
  | { kind: 'reply-capped'; turnId: string; maxTokens: number }
  | { kind: 'no-speech'; turnId: string; transcript: string }
  | { kind: 'barge-in'; turnId: string }
  /**
   * The user seemed to start talking over the reply: the player is held silent from `at` (VAD
   * speech start). Confirmed speech becomes a barge-in; a misfire releases the hold.
   */
  | { kind: 'barge-in-hold'; turnId: string; at: number }
  | { kind: 'barge-in-released'; turnId: string };

export type TurnManagerEvent =
  | { type: 'state'; state: VoiceState }
  /** A turn began: from speech end (voice) or text submission. */
  | { type: 'turn-start'; turnId: string; source: 'voice' | 'text' }
  /**
   * What the user has said so far, while they still speak (the ASR on the audio so far); null
   * when that in-progress line goes: the final transcript replaced it, or it was not speech.
   * Never part of the history.
   */
  | { type: 'partial-transcript'; text: string | null }
  | { type: 'user-message'; turnId: string; message: HistoryMessage }
  | { type: 'assistant-start'; turnId: string; messageId: string }
  /** A token arrived: `delta` is the new text, `text` all of the reply so far. */
  | { type: 'assistant-delta'; turnId: string; messageId: string; delta: string; text: string }
  /** A sentence became audible: the first `spokenChars` of the reply's text have been spoken (or are being). */
  | { type: 'assistant-spoken'; turnId: string; messageId: string; spokenChars: number }
  /**
   * The reply is over. `message` is what history keeps (null when nothing was heard of an
   * interrupted reply); `generatedText` is everything the model wrote.
   */
  | { type: 'assistant-final'; turnId: string; messageId: string; message: HistoryMessage | null; generatedText: string }
  /** A timing mark was recorded; `timing` is the whole record so far. */
  | { type: 'timing'; turnId: string; timing: TurnTimingRecord }
  | { type: 'turn-end'; turnId: string; outcome: TurnOutcome; timing: TurnTimingRecord }
  /** The whole history after a change (same array until it changes). */
  | { type: 'history'; messages: readonly HistoryMessage[] }
  | { type: 'error'; stage: VoiceStage; turnId?: string; message: string; cause: unknown }
  | { type: 'notice'; notice: VoiceNotice };

export type TurnManagerListener = (event: TurnManagerEvent) => void;

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return typeof error === 'string' ? error : 'Unknown error';
}
