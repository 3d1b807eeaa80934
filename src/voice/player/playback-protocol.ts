// Messages between the player (main thread) and its worklet (audio thread). Types only, so the
// worklet can import them without pulling anything into its bundle.

export type PlaybackCommand =
  /** `samples` are at the context rate, transferred. */
  | { type: 'enqueue'; turnId: string; segmentId: number; samples: Float32Array }
  | { type: 'stop'; requestId: number }
  /** Silence the output without losing the place (held) or carry on from it (released). */
  | { type: 'hold'; held: boolean }
  /** A port on which the VAD worker sends `{ type: 'hold', held }` straight to the audio thread. */
  | { type: 'connect-barge-in'; port: MessagePort }
  | { type: 'report'; requestId: number };

export interface SegmentFrames {
  turnId: string;
  segmentId: number;
  playedFrames: number;
  totalFrames: number;
}

/** Every report carries the running total of frames rendered from the queue. */
export type PlaybackReport =
  /** `frame`: context frame at which the segment's first sample is rendered. */
  | { type: 'segment-start'; turnId: string; segmentId: number; frame: number; renderedFrames: number }
  | ({ type: 'segment-end'; frame: number; renderedFrames: number } & SegmentFrames)
  | { type: 'drained'; frame: number; renderedFrames: number }
  /** Periodic while playing, so the counter stays current without a request. */
  | { type: 'progress'; renderedFrames: number }
  /** Reply to `stop`: the segments that were cut or never started. */
  | { type: 'stopped'; requestId: number; segments: SegmentFrames[]; renderedFrames: number }
  | { type: 'report'; requestId: number; renderedFrames: number }
  /** Reply to `hold`: from `frame` on the output is silent (held) or playing again. */
  | { type: 'held'; held: boolean; frame: number; renderedFrames: number };

/** What the VAD worker sends on the barge-in port. */
export interface BargeInSignal {
  type: 'hold';
  held: boolean;
}

export const PLAYBACK_PROCESSOR = 'hearth-playback';
