// The words the user has said so far, shown while they speak. Best effort, and never in the way
// of the turn: a partial runs only while the ASR has nothing else to do, at most one waits for
// it (the newest), and the end of the utterance aborts the one in flight, so the final
// transcription starts at once. Partials are shown only; the history gets the final transcript.
import type { AsrEngine, Transcript } from '../engines/types.ts';
import type { TurnManagerEvent } from './events.ts';
import { spokenText } from './transcript-filter.ts';
import { capUtterance } from './utterance-cap.ts';

type Asr = Pick<AsrEngine, 'transcribe'>;

/**
 * The longest an ASR pass may take for partials to run. A pass cannot be stopped halfway (abort
 * acts between decoding steps), so one still running when the user stops would hold up the final
 * transcript; kept below the end-of-turn pause, it finishes before the final one could start.
 * Whisper's cost per pass is nearly fixed (the encoder always sees a 30 s window), so recent
 * pass times predict the next. On a device where a pass takes seconds (real-size Whisper on a
 * busy 2-core CPU), partials would only add waiting to every turn.
 */
export const PARTIAL_PASS_BUDGET_MS = 400;

interface PartialJob {
  utterance: number;
  audio: Float32Array;
  asr: Asr;
}

export class PartialTranscripts {
  /** Transcriptions in flight, final or partial: a partial starts only when there are none. */
  private busy = 0;
  /** Counts utterances, so a result for an earlier one is recognised and dropped. */
  private utterance = 0;
  private speaking = false;
  private inFlight: AbortController | null = null;
  private pending: PartialJob | null = null;
  /** The in-progress line on show: whose utterance, and the turn whose transcript replaces it. */
  private shown: { utterance: number; turnId?: string } | null = null;
  /** Smoothed compute time of recent ASR passes; unknown until the first one. */
  private passMs: number | undefined;

  constructor(private readonly emit: (text: string | null) => void) {}

  /** The ASR as turns must call it, so partials know when it is busy with a final transcript. */
  track(asr: Asr): Asr {
    return { transcribe: (audio, options) => this.counted(asr.transcribe(audio, options)) };
  }

  speechStarted(): void {
    this.drop();
    this.utterance += 1;
    this.speaking = true;
  }

  /** The audio of the utterance so far: transcribed now if the ASR is idle, else when it is. */
  progress(audio: Float32Array, asr: Asr, maxSeconds: number): void {
    if (!this.speaking || !this.fastEnough()) return;
    const job = { utterance: this.utterance, audio: capUtterance(audio, maxSeconds).audio, asr };
    if (this.busy > 0) this.pending = job;
    else this.run(job);
  }

  /**
   * The user paused: partial work stops so an eager transcription (which may turn out to be the
   * final one) starts at once; the utterance goes on, and so do partials if the user does.
   */
  paused(): void {
    this.drop();
  }

  /** The utterance is over: partial work for it stops, so its final transcription starts at once. */
  speechEnded(): void {
    this.drop();
    this.speaking = false;
  }

  /**
   * The turn the utterance that just ended became (null: none). A line on show stays until that
   * turn's transcript replaces it, or the turn ends without one.
   */
  handOver(turnId: string | null): void {
    if (this.shown?.utterance !== this.utterance) return;
    if (turnId === null) this.clear();
    else this.shown.turnId = turnId;
  }

  /** Not speech after all, or the microphone went off mid-utterance. */
  speechCancelled(): void {
    const wasSpeaking = this.speaking;
    this.drop();
    this.speaking = false;
    if (wasSpeaking && this.shown?.utterance === this.utterance) this.clear();
  }

  /** Watches the turns' events for the one that replaces the line on show. */
  turnEvent(event: TurnManagerEvent): void {
    if (event.type !== 'user-message' && event.type !== 'turn-end') return;
    if (this.shown?.turnId !== undefined && this.shown.turnId === event.turnId) this.clear();
  }

  /** Everything stops and the line goes (another conversation, disposal). */
  reset(): void {
    this.drop();
    this.speaking = false;
    this.clear();
  }

  /** Too slow a model gets no partials (the first pass, unmeasured, is the probe). */
  fastEnough(): boolean {
    return this.passMs === undefined || this.passMs <= PARTIAL_PASS_BUDGET_MS;
  }

  private clear(): void {
    if (!this.shown) return;
    this.shown = null;
    this.emit(null);
  }

  private drop(): void {
    this.pending = null;
    this.inFlight?.abort();
    this.inFlight = null;
  }

  private run(job: PartialJob): void {
    const controller = new AbortController();
    this.inFlight = controller;
    const current = (): boolean => !controller.signal.aborted && this.speaking && job.utterance === this.utterance;
    this.counted(job.asr.transcribe(job.audio, { signal: controller.signal }))
      .then(
        (transcript) => {
          const text = current() ? spokenText(transcript.text) : null;
          if (text === null) return;
          this.shown = { utterance: job.utterance };
          this.emit(text);
        },
        // Best effort: a failing ASR is reported by the final transcription.
        () => undefined,
      )
      .finally(() => {
        if (this.inFlight === controller) this.inFlight = null;
      });
  }

  private async counted(work: Promise<Transcript>): Promise<Transcript> {
    this.busy += 1;
    try {
      const transcript = await work;
      this.passMs = this.passMs === undefined ? transcript.computeMs : (this.passMs + transcript.computeMs) / 2;
      return transcript;
    } finally {
      this.busy -= 1;
      if (this.busy === 0) this.runPending();
    }
  }

  private runPending(): void {
    const job = this.pending;
    this.pending = null;
    if (job && this.speaking && job.utterance === this.utterance) this.run(job);
  }
}
