// What the voice loop needs from a player, free of Web Audio so the turn manager runs (and is
// tested) anywhere. `createAudioPlayer` in ./audio-player.ts implements it in the browser.
import type { AudioChunk } from '../../engines/types.ts';

/** Identifies a piece of audio: one synthesised chunk (usually a sentence) of one turn. */
export interface SegmentMeta {
  turnId: string;
  segmentId: number;
}

/** How much of a segment reached the speaker, in output frames. */
export interface SegmentPlayback extends SegmentMeta {
  playedFrames: number;
  totalFrames: number;
}

export type PlayerEvent =
  /** The first sample of a segment was rendered; `at` is when it is audible (performance.now() ms). */
  | ({ type: 'segment-start'; at: number } & SegmentMeta)
  /** The segment played to its end. */
  | ({ type: 'segment-end'; at: number } & SegmentPlayback)
  /** How much of a segment was rendered: sent at segment end and for each segment cut by `stop()`. */
  | ({ type: 'played' } & SegmentPlayback)
  /** The queue ran empty; `renderedFrames` counts every frame ever rendered from the queue. */
  | { type: 'drained'; at: number; renderedFrames: number }
  /** Output silenced (held) or playing again (released); `at` is when that is audible. */
  | { type: 'hold'; held: boolean; at: number }
  /** The audio context changed state (suspended until a user gesture, running, closed). */
  | { type: 'state'; state: PlayerState };

export type PlayerState = 'running' | 'suspended' | 'closed';

export interface StopReport {
  /** Each segment that was playing or queued when the player stopped (unplayed ones with 0). */
  segments: SegmentPlayback[];
}

export interface AudioSink {
  /** Queues a chunk to play right after everything already queued, with no gap. */
  enqueue(chunk: AudioChunk, meta: SegmentMeta): void;
  /** Silences at once and drops the queue; resolves with what each cut segment had played. */
  stop(): Promise<StopReport>;
  /**
   * Silences the output at once but keeps the queue and the place in it, until released. Used
   * the moment the user seems to start talking: confirmed speech then stops the reply, a cough
   * lets it carry on.
   */
  hold(held: boolean): void;
  /** Returns an unsubscribe function. */
  subscribe(listener: (event: PlayerEvent) => void): () => void;
}

/**
 * A voice that makes and plays its own audio from text (the browser's speech synthesis): the
 * speech pipeline hands it each sentence instead of synthesising PCM for `enqueue`. It reports
 * through the same player events, counting characters where the player counts frames
 * (`totalFrames` is the sentence's length), and is stopped and held with the player.
 */
export interface TextSpeaker {
  /** Queues the sentence after those queued before. */
  speakText(text: string, options: { voice: string; speed?: number }, meta: SegmentMeta): void;
}
