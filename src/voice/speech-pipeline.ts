// Sentences in, audio out: synthesises each sentence and queues it on the player, keeping a
// bounded number of segments ahead of playback (sentence n+1 is synthesised while n plays, but
// not the whole reply, which a barge-in would throw away). Tracks what each segment played.
// With a `speaker` (the browser's speech synthesis) there is nothing to synthesise: each sentence
// goes to it, and its events (through the player's subscription) drive the same bookkeeping.
import type { TtsEngine } from '../engines/types.ts';
import { Notifier, abortableIterable, raceAbort } from './abortable.ts';
import { heardText, type SegmentProgress, type SpokenSegment } from './barge-in.ts';
import type { VoiceStage } from './events.ts';
import type { AudioSink, PlayerEvent, StopReport, TextSpeaker } from './player/types.ts';
import { speakableText } from './speakable-text.ts';

export interface SpeechPipelineOptions {
  turnId: string;
  tts: Pick<TtsEngine, 'synthesize'>;
  player: AudioSink;
  /** Speaks the sentences instead of `tts` and `player.enqueue`; its events must reach the player's subscribers. */
  speaker?: TextSpeaker;
  voice: string;
  speed?: number;
  maxSegmentsAhead: number;
  signal: AbortSignal;
  now: () => number;
  /** TTS returned the first audio; `computeMs` is the engine's own figure or the call's duration. */
  onFirstAudioReady: (at: number, computeMs: number) => void;
  /** The first segment became audible. */
  onFirstAudible: (at: number) => void;
  /** A sentence began to be heard (with any unspeakable ones queued before it), in order. */
  onSentenceAudible?: (text: string) => void;
  onError: (stage: VoiceStage, error: unknown) => void;
}

/** An engine may report its own compute time on the chunk; the contract does not require it. */
function reportedComputeMs(chunk: object): number | undefined {
  return 'computeMs' in chunk && typeof chunk.computeMs === 'number' ? chunk.computeMs : undefined;
}

export class SpeechPipeline {
  private readonly segments: SpokenSegment[] = [];
  private readonly progress = new Map<number, SegmentProgress>();
  private readonly changed = new Notifier();
  private enqueued = 0;
  private ended = 0;
  private audible = false;
  /** How many of `segments` have been reported to onSentenceAudible. */
  private reportedAudible = 0;
  /** When the first sentence went to the speaker (its audio is ready when it starts to sound). */
  private firstSpokenAt: number | undefined;

  constructor(private readonly options: SpeechPipelineOptions) {}

  /** Whether any audio went to the player. */
  get hasAudio(): boolean {
    return this.enqueued > 0;
  }

  handlePlayerEvent(event: PlayerEvent): void {
    if (!('turnId' in event) || event.turnId !== this.options.turnId) return;
    switch (event.type) {
      case 'segment-start':
        if (!this.audible) {
          this.audible = true;
          if (this.firstSpokenAt !== undefined) this.options.onFirstAudioReady(event.at, event.at - this.firstSpokenAt);
          this.options.onFirstAudible(event.at);
        }
        this.reportAudibleThrough(event.segmentId);
        break;
      case 'segment-end':
        this.ended += 1;
        this.progress.set(event.segmentId, { playedFrames: event.totalFrames, totalFrames: event.totalFrames });
        break;
      case 'played':
        this.record(event.segmentId, event);
        break;
    }
    this.changed.notify();
  }

  applyStopReport(report: StopReport): void {
    for (const segment of report.segments) {
      if (segment.turnId === this.options.turnId) this.record(segment.segmentId, segment);
    }
  }

  private reportAudibleThrough(segmentId: number): void {
    while (this.reportedAudible < this.segments.length && this.segments[this.reportedAudible]!.segmentId <= segmentId) {
      this.options.onSentenceAudible?.(this.segments[this.reportedAudible]!.text);
      this.reportedAudible += 1;
    }
  }

  private record(segmentId: number, played: SegmentProgress): void {
    const known = this.progress.get(segmentId);
    if (known && known.playedFrames >= played.playedFrames) return;
    this.progress.set(segmentId, { playedFrames: played.playedFrames, totalFrames: played.totalFrames });
  }

  /** Synthesises and queues every sentence; returns once the last one is queued (or on abort). */
  async run(sentences: AsyncIterable<string>): Promise<void> {
    const { signal, tts, player, turnId, now } = this.options;
    let nextSegmentId = 0;
    let reportedError = false;
    try {
      for await (const text of abortableIterable(sentences, signal)) {
        while (this.enqueued - this.ended >= this.options.maxSegmentsAhead && !signal.aborted) {
          await this.changed.wait(signal);
        }
        if (signal.aborted) return;
        const segmentId = nextSegmentId;
        nextSegmentId += 1;
        const spoken = speakableText(text);
        if (spoken === '') {
          // Nothing to say (a rule line, a code block): shown, not spoken, counted as heard.
          this.segments.push({ segmentId, text });
          this.progress.set(segmentId, { playedFrames: 1, totalFrames: 1 });
          continue;
        }
        if (this.options.speaker) {
          if (!this.speak(this.options.speaker, spoken, text, segmentId)) return;
          continue;
        }
        const startedAt = now();
        let chunk;
        try {
          const request = tts.synthesize(spoken, { voice: this.options.voice, speed: this.options.speed, signal });
          chunk = await raceAbort(request, signal);
        } catch (error) {
          if (signal.aborted) return;
          // One message per turn is enough: the rest of the reply still shows as text.
          if (!reportedError) this.options.onError('tts', error);
          reportedError = true;
          continue;
        }
        // A synthesis that finished after the abort is dropped, never played.
        if (signal.aborted) return;
        if (this.segments.length === 0) {
          const readyAt = now();
          this.options.onFirstAudioReady(readyAt, reportedComputeMs(chunk) ?? readyAt - startedAt);
        }
        this.segments.push({ segmentId, text });
        if (chunk.samples.length === 0) {
          this.progress.set(segmentId, { playedFrames: 1, totalFrames: 1 });
          continue;
        }
        try {
          player.enqueue(chunk, { turnId, segmentId });
          this.enqueued += 1;
        } catch (error) {
          this.options.onError('player', error);
          return;
        }
      }
    } catch (error) {
      if (!signal.aborted) throw error;
    }
  }

  /** Hands a sentence to the speaker; false when it failed (reported: the rest of the reply shows as text). */
  private speak(speaker: TextSpeaker, spoken: string, text: string, segmentId: number): boolean {
    const { turnId, voice, speed, now } = this.options;
    this.segments.push({ segmentId, text });
    this.firstSpokenAt ??= now();
    try {
      speaker.speakText(spoken, { voice, ...(speed !== undefined ? { speed } : {}) }, { turnId, segmentId });
      this.enqueued += 1;
      return true;
    } catch (error) {
      this.options.onError('tts', error);
      return false;
    }
  }

  /** Resolves once every queued segment has played to its end (or on abort). */
  async waitUntilPlayed(): Promise<void> {
    while (this.ended < this.enqueued && !this.options.signal.aborted) {
      await this.changed.wait(this.options.signal);
    }
  }

  /** The text of the reply the user heard (whole segments, plus the heard part of a cut one). */
  heardText(): string {
    return heardText(this.segments, this.progress);
  }
}
