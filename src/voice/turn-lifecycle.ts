// The lifecycle a turn (turn.ts) and a spoken message (spoken-message.ts) share: one
// AbortController, a phase the manager reads to show what is audible, the speech pipeline and
// its player subscription, ending once (phase `done`, listeners released) and `settled` for
// whoever waits behind it. What happens between start and end is each one's own.
import type { TurnManagerListener } from './events.ts';
import type { ConversationHistory } from './history.ts';
import type { AudioSink, PlayerEvent, StopReport } from './player/types.ts';
import type { VoiceSettings } from './settings.ts';
import type { SpeechPipeline } from './speech-pipeline.ts';

/**
 * transcribing: ASR running · waiting: for the previous turn to write its history ·
 * generating: LLM running, nothing audible yet · speaking: reply audible · done.
 */
export type TurnPhase = 'transcribing' | 'waiting' | 'generating' | 'speaking' | 'done';

/** What the manager gives a turn and a spoken message alike. */
export interface VoiceWorkEnvironment {
  player: AudioSink;
  /** A snapshot: changes made during the work apply from the next turn. */
  settings: VoiceSettings;
  history: ConversationHistory;
  emit: TurnManagerListener;
  now: () => number;
  createId: () => string;
  /** Settles once the work before this one has written its messages to the history. */
  previous: Promise<void>;
  /** Aborted when the manager is disposed. */
  disposeSignal: AbortSignal;
}

export interface LifecycleHooks {
  /** Aborted when the manager is disposed. */
  disposeSignal: AbortSignal;
  /** What to do then (until the lifecycle ends). */
  onDispose: () => void;
  /** Called whenever the phase changes or the work stops being active. */
  onChange: () => void;
}

export class TurnLifecycle {
  /** Resolves once the work is over (its history written, its audio done or cut). */
  readonly settled: Promise<void>;
  private readonly controller = new AbortController();
  private current: TurnPhase;
  private ended = false;
  private speechPipeline: SpeechPipeline | null = null;
  private unsubscribePlayer: (() => void) | null = null;
  private resolveSettled: () => void = () => {};
  private readonly onDispose = (): void => this.hooks.onDispose();

  constructor(
    phase: TurnPhase,
    private readonly hooks: LifecycleHooks,
  ) {
    this.current = phase;
    this.settled = new Promise((resolve) => (this.resolveSettled = resolve));
  }

  /** Listens for the manager's disposal until `end`. */
  start(): void {
    this.hooks.disposeSignal.addEventListener('abort', this.onDispose, { once: true });
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get aborted(): boolean {
    return this.controller.signal.aborted;
  }

  get phase(): TurnPhase {
    return this.current;
  }

  /** Neither ended nor interrupted: the work still owns the conversation. */
  get active(): boolean {
    return !this.ended && !this.controller.signal.aborted;
  }

  get speech(): SpeechPipeline | null {
    return this.speechPipeline;
  }

  setPhase(phase: TurnPhase): void {
    this.current = phase;
    this.hooks.onChange();
  }

  abort(): void {
    this.controller.abort();
  }

  /**
   * Interrupts active work: aborts, lets `stop` do what that means for the caller (cut the
   * audio, wait for a transcript, ...), and reports the change. Resolves with `settled`.
   */
  interrupt(stop: () => void): Promise<void> {
    if (!this.active) return this.settled;
    this.controller.abort();
    stop();
    this.hooks.onChange();
    return this.settled;
  }

  /** Whether an interruption now has audio to cut (or a reply about to be audible). */
  get producingAudio(): boolean {
    return this.current === 'generating' || this.current === 'speaking';
  }

  /** The pipeline that speaks for this work, fed the player's events until `end`. */
  useSpeech(speech: SpeechPipeline, player: AudioSink): void {
    this.speechPipeline = speech;
    this.unsubscribePlayer = player.subscribe((event: PlayerEvent) => speech.handlePlayerEvent(event));
  }

  /** Silences the player if this work made it speak; what had been played, for the history. */
  async stopAudio(player: AudioSink, onError: (error: unknown) => void): Promise<StopReport> {
    if (!this.speechPipeline?.hasAudio) return { segments: [] };
    try {
      return await player.stop();
    } catch (error) {
      onError(error);
      return { segments: [] };
    }
  }

  /** Ends the work once: phase `done`, player and disposal listeners released. False when it had ended already. */
  end(): boolean {
    if (this.ended) return false;
    this.ended = true;
    this.current = 'done';
    this.unsubscribePlayer?.();
    this.hooks.disposeSignal.removeEventListener('abort', this.onDispose);
    return true;
  }

  /** Lets whoever waits on `settled` go on. */
  settle(): void {
    this.resolveSettled();
  }
}
