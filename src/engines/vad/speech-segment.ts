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
  msPerFrame: number;
  progressIntervalMs?: number;
}

function concat(frames: readonly { frame: Float32Array }[]): Float32Array {
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
        // Counted back in audio time from the frame that ended the segment: frames reach the
        // worker in uneven bursts, so their arrival times would blur the silence they span.
        const since = this.framesSinceSpeech;
        const lastSpeechAt = since === undefined ? undefined : frameAt - since * this.options.msPerFrame;
        this.reset();
        return { type: 'speech-end', at: now, audio: event.audio, ...(lastSpeechAt === undefined ? {} : { lastSpeechAt }) };
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
    return { type: 'speech-progress', at: now, audio: concat(processor.audioBuffer) };
  }

  /** Forgets the segment in progress (the processor was reset, or the segment ended). */
  reset(): void {
    this.framesSinceSpeech = undefined;
    this.lastFrameWasSpeech = false;
    this.confirmed = false;
  }
}
