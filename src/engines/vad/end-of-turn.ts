import type { EndOfTurnReason, TurnModelStats, VadParams } from '../types.ts';

/** What the endpointer needs of the end-of-turn model (SmartTurnDetector implements it). */
export interface TurnDetector {
  predict(audio16k: Float32Array): Promise<{ probability: number; complete: boolean; computeMs: number }>;
}

/**
 * When the user has finished, decided the way Pipecat's Smart Turn flow does: at a short pause
 * the end-of-turn model looks at the utterance's audio; "complete" ends the turn at once,
 * "incomplete" keeps listening and asks again as the silence grows (at twice the silence of the
 * last question), and the silence alone ends the turn after `maxSilenceMs`. Without a model, or
 * in silence-only mode, the silence (`redemptionMs`) decides, as before.
 */
export class EndOfTurnEndpointer {
  private detector: TurnDetector | null = null;
  /** Silence at which the model is asked next; undefined: not in a pause, or nothing more to ask. */
  private nextAskMs: number | undefined;
  private callMs: number[] = [];
  private probability = 0;
  private endedByModel = false;

  constructor(private readonly params: () => VadParams) {}

  /** The model to ask (null: none, e.g. it failed to load). */
  setDetector(detector: TurnDetector | null): void {
    this.detector = detector;
  }

  /** The model decides (smart mode, and a model is there). */
  get smart(): boolean {
    return this.detector !== null && this.params().endOfTurn === 'smart';
  }

  /** The silence after which vad-web's frame processor ends the segment by itself. */
  redemptionMs(): number {
    const params = this.params();
    return this.smart ? Math.max(params.maxSilenceMs, params.redemptionMs) : params.redemptionMs;
  }

  paused(): void {
    this.nextAskMs = this.params().shortPauseMs;
  }

  resumed(): void {
    this.nextAskMs = undefined;
  }

  /** Whether the model should be asked now, with `silenceMs` of silence so far. */
  due(silenceMs: number): boolean {
    return this.smart && this.nextAskMs !== undefined && silenceMs >= this.nextAskMs;
  }

  /**
   * Asks the model about the utterance so far; true when it says the turn is complete. A model
   * that fails is dropped for good (the silence decides from then on) rather than asked again
   * at every pause.
   */
  async decide(audio: Float32Array, silenceMs: number): Promise<boolean> {
    const detector = this.detector;
    if (!detector) return false;
    this.nextAskMs = undefined;
    try {
      const verdict = await detector.predict(audio);
      this.callMs.push(verdict.computeMs);
      this.probability = verdict.probability;
      if (verdict.complete) {
        this.endedByModel = true;
        return true;
      }
      const next = Math.max(silenceMs * 2, silenceMs + this.params().shortPauseMs);
      if (next < this.params().maxSilenceMs) this.nextAskMs = next;
      return false;
    } catch (error) {
      console.warn('End-of-turn model failed; the silence decides from now on.', error);
      this.detector = null;
      return false;
    }
  }

  /** The utterance ended: why, and what the model did for it. Starts afresh for the next one. */
  finish(): { reason: EndOfTurnReason; turnModel?: TurnModelStats } {
    const reason: EndOfTurnReason = this.endedByModel ? 'turn-model' : 'silence';
    const stats = this.callMs.length > 0 ? { calls: this.callMs.length, callMs: this.callMs, probability: this.probability } : undefined;
    this.reset();
    return stats ? { reason, turnModel: stats } : { reason };
  }

  reset(): void {
    this.nextAskMs = undefined;
    this.callMs = [];
    this.probability = 0;
    this.endedByModel = false;
  }
}
