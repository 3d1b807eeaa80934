import type { TurnTimingRecord } from '../metrics/turn-timing.ts';
import { useTimings } from '../stores/timing-store.ts';
import type { TurnManager } from '../voice/turn-manager.ts';
import type { AudioPlayer } from '../voice/player/index.ts';
import type { PhraseCache, TtsCallRecord } from '../voice/phrase-cache/phrase-cache.ts';

/** The user talked over a reply: when the VAD heard them start, and when the reply went silent. */
export interface BargeInRecord {
  turnId: string;
  speechStartAt: number;
  /** When the main thread heard of it (the VAD worker may have silenced the player already). */
  holdRequestedAt: number;
  /** When the reply's output went silent at the speaker (includes the output device latency). */
  silencedAt?: number;
}

/** A turn's step as the rest of the app saw it (what an eager turn must not show before its commit). */
export interface TurnEventRecord {
  type: 'turn-start' | 'user-message' | 'assistant-start' | 'turn-end';
  turnId: string;
  at: number;
}

/** A partial transcript the UI was given while the user spoke. */
export interface PartialRecord {
  text: string;
  at: number;
}

/**
 * A read-only view of what the voice loop actually did, on `window.hearthDiagnostics`: for
 * support ("is any sound coming out?") and for the browser tests, which must check that audio
 * really played rather than trusting the UI. Times are `performance.now()` milliseconds.
 */
export interface Diagnostics {
  /** Audio frames the player has rendered to the output so far. */
  renderedFrames(): Promise<number>;
  outputSampleRate(): number | undefined;
  /** The output device's latency as the audio context reports it, in ms. */
  outputLatencyMs(): number;
  turns(): readonly TurnTimingRecord[];
  bargeIns(): readonly BargeInRecord[];
  partialTranscripts(): readonly PartialRecord[];
  turnEvents(): readonly TurnEventRecord[];
  /** Every sentence the voice loop asked the TTS for, and whether the phrase cache or the engine answered. */
  ttsCalls(): readonly TtsCallRecord[];
}

declare global {
  interface Window {
    hearthDiagnostics?: Diagnostics;
  }
}

/** Publishes the diagnostics for one session's player, turn manager and TTS (the phrase cache in front of it). */
export function exposeDiagnostics(player: AudioPlayer, manager: TurnManager, tts: PhraseCache): void {
  const bargeIns: BargeInRecord[] = [];
  // The VAD worker may silence the player before the main thread even hears of the speech, so a
  // barge-in is matched with the first hold at or after its speech start, whichever came first.
  const holds: number[] = [];
  const partials: PartialRecord[] = [];
  const turnEvents: TurnEventRecord[] = [];
  const ttsCalls: TtsCallRecord[] = [];
  tts.subscribe((record) => ttsCalls.push(record));
  manager.subscribe((event) => {
    if (event.type === 'turn-start' || event.type === 'user-message' || event.type === 'assistant-start' || event.type === 'turn-end') {
      turnEvents.push({ type: event.type, turnId: event.turnId, at: performance.now() });
    }
    if (event.type === 'notice' && event.notice.kind === 'barge-in-hold') {
      bargeIns.push({ turnId: event.notice.turnId, speechStartAt: event.notice.at, holdRequestedAt: performance.now() });
    }
    if (event.type === 'partial-transcript' && event.text !== null) partials.push({ text: event.text, at: performance.now() });
  });
  player.subscribe((event) => {
    if (event.type === 'hold' && event.held) holds.push(event.at);
  });
  const withSilence = (record: BargeInRecord): BargeInRecord => ({
    ...record,
    silencedAt: holds.find((at) => at >= record.speechStartAt),
  });
  window.hearthDiagnostics = {
    renderedFrames: () => player.countRenderedFrames(),
    outputSampleRate: () => player.context.sampleRate,
    outputLatencyMs: () => ((player.context.outputLatency || 0) + (player.context.baseLatency || 0)) * 1000,
    turns: () => useTimings.getState().turns,
    bargeIns: () => bargeIns.map(withSilence),
    partialTranscripts: () => partials,
    turnEvents: () => turnEvents,
    ttsCalls: () => ttsCalls,
  };
}
