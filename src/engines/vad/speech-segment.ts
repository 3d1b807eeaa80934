import type { FrameProcessorEvent } from '@ricky0123/vad-web/dist/frame-processor.js';
import { Message } from '@ricky0123/vad-web/dist/messages.js';
import type { VadEvent } from '../types.ts';

/**
 * How often, at most, the VAD hands out the utterance so far while the user speaks. Each one
 * costs a Whisper pass over the whole utterance, so more often would only queue work.
 */
export const SPEECH_PROGRESS_INTERVAL_MS = 1000;

/** What the tracker reads of vad-web's frame processor after a frame (its public fields). */
export interface FrameProcessorState {
  speaking: boolean;
  /** The segment so far: pre-speech padding, then every frame since speech started. */
  audioBuffer: readonly { frame: Float32Array }[];
}

export interface SpeechSegmentOptions {
  /** The speech threshold in force (it may change between frames). */
  threshold: () => number;
  /** Silence after confirmed speech that makes a pause, in ms (it may change between frames). */
  shortPauseMs?: () => number;
  msPerFrame: number;
  progressIntervalMs?: number;
}

/** The frames' samples end to end. */
export function concatFrames(frames: readonly { frame: Float32Array }[]): Float32Array {
  let length = 0;
  for (const { frame } of frames) length += frame.length;
  const audio = new Float32Array(length);
  let offset = 0;
  for (const { frame } of frames) {
    audio.set(frame, offset);
    offset += frame.length;
  }
  return audio;
}

/**
 * Turns vad-web's frame processor events into ours, adding what it does not report: the moment
 * of the last speech frame (so the endpointing wait can be measured) and the audio so far while
 * the user is still speaking (so a partial transcript can be shown).
 */
export class SpeechSegmentTracker {
  private readonly progressIntervalMs: number;
  /** Frames since the last speech frame (undefined: none yet in this segment). */
  private framesSinceSpeech: number | undefined;
  private lastFrameWasSpeech = false;
  private confirmed = false;
  private lastProgressAt = 0;
  /** A `speech-pause` went out for the silence in progress. */
  private paused = false;

  constructor(private readonly options: SpeechSegmentOptions) {
    this.progressIntervalMs = options.progressIntervalMs ?? SPEECH_PROGRESS_INTERVAL_MS;
  }

  /**
   * Our event for one of the processor's, or null. `frameAt`: when the frame being processed
   * arrived; `now`: the time of the event (later, when the worker has frames queued).
   */
  toVadEvent(event: FrameProcessorEvent, frameAt: number, now: number): VadEvent | null {
    switch (event.msg) {
      case Message.FrameProcessed:
        // The processor's own test for a speech frame; it does not tell us the outcome.
        this.lastFrameWasSpeech = event.probs.isSpeech >= this.options.threshold();
        if (this.lastFrameWasSpeech) this.framesSinceSpeech = 0;
        else if (this.framesSinceSpeech !== undefined) this.framesSinceSpeech += 1;
        return null;
      case Message.SpeechStart:
        return { type: 'speech-start', at: now };
      case Message.SpeechRealStart:
        this.confirmed = true;
        this.lastProgressAt = now;
        return { type: 'speech-confirmed', at: now };
      case Message.SpeechEnd: {
        const lastSpeechAt = this.lastSpeechAt(frameAt);
        const silenceMs = this.silenceMs();
        this.reset();
        return {
          type: 'speech-end',
          at: now,
          audio: event.audio,
          reason: 'silence',
          ...(lastSpeechAt === undefined ? {} : { lastSpeechAt, silenceMs }),
        };
      }
      case Message.VADMisfire:
        this.reset();
        return { type: 'misfire', at: now };
      default:
        return null;
    }
  }

  /**
   * Called once a frame is fully processed: the utterance so far, when speech is confirmed and
   * the frame was speech and the last progress is at least the interval ago; otherwise null.
   * Never in a pause: it may be the silence that ends the utterance, and a partial started then
   * would hold up the final transcription (a Whisper pass cannot be cut short) for no new words.
   */
  progress(processor: FrameProcessorState, now: number): VadEvent | null {
    if (!this.confirmed || !processor.speaking || !this.lastFrameWasSpeech) return null;
    if (now - this.lastProgressAt < this.progressIntervalMs) return null;
    this.lastProgressAt = now;
    return { type: 'speech-progress', at: now, audio: concatFrames(processor.audioBuffer) };
  }

  /**
   * Called once a frame is fully processed, like `progress`: `speech-pause` when the silence
   * after confirmed speech has just reached the short pause (the audio so far goes with it, for
   * eager work), `speech-resumed` when speech comes back after one; otherwise null.
   */
  pause(processor: FrameProcessorState, frameAt: number, now: number): VadEvent | null {
    if (!this.confirmed || !processor.speaking) return null;
    if (this.paused && this.lastFrameWasSpeech) {
      this.paused = false;
      return { type: 'speech-resumed', at: now };
    }
    const pauseMs = this.options.shortPauseMs?.();
    const lastSpeechAt = this.lastSpeechAt(frameAt);
    if (this.paused || pauseMs === undefined || lastSpeechAt === undefined || this.silenceMs() < pauseMs) return null;
    this.paused = true;
    return { type: 'speech-pause', at: now, audio: concatFrames(processor.audioBuffer), lastSpeechAt };
  }

  /** Silence since the last speech frame of the segment, in audio time (0 while speaking). */
  silenceMs(): number {
    return (this.framesSinceSpeech ?? 0) * this.options.msPerFrame;
  }

  /** A pause was reported and speech has not come back. */
  get inPause(): boolean {
    return this.paused;
  }

  /**
   * Counted back in audio time from the frame just processed: frames reach the worker in uneven
   * bursts, so their arrival times would blur the silence they span.
   */
  private lastSpeechAt(frameAt: number): number | undefined {
    const since = this.framesSinceSpeech;
    return since === undefined ? undefined : frameAt - since * this.options.msPerFrame;
  }

  /** Forgets the segment in progress (the processor was reset, or the segment ended). */
  reset(): void {
    this.framesSinceSpeech = undefined;
    this.lastFrameWasSpeech = false;
    this.confirmed = false;
    this.paused = false;
  }
}
