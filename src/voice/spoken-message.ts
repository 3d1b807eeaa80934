// A message spoken without the LLM: a person's reply during a handoff, or a short announcement
// ("Connecting you to a person…"). It waits for the turns before it, goes into the history
// whole (it was written, not generated: the user sees all of it even if they talk over it),
// and is spoken sentence by sentence through the same speech pipeline and barge-in as a reply.
import type { TtsEngine } from '../engines/types.ts';
import { errorMessage, type TurnManagerListener, type VoiceStage } from './events.ts';
import type { ConversationHistory, HistoryMessage } from './history.ts';
import type { AudioSink, PlayerEvent } from './player/types.ts';
import { splitSentences } from './sentence-splitter.ts';
import type { VoiceSettings } from './settings.ts';
import { SpeechPipeline } from './speech-pipeline.ts';
import type { TurnPhase } from './turn.ts';

export type SpokenOutcome = 'completed' | 'interrupted' | 'failed';

export interface SpeakOptions {
  /** Set when a person wrote the text: the message is shown and kept as theirs. */
  agentName?: string;
  /** History id of the message; a caller that may deliver the same message twice dedupes by it. */
  messageId?: string;
  /** TTS voice for this message (defaults to the assistant's). */
  voice?: string;
}

/** What the manager lets a spoken message interrupt along with itself: the work queued before it. */
export interface Interruptible {
  readonly active: boolean;
  readonly phase: TurnPhase;
  interrupt(): Promise<void>;
}

export interface SpokenMessageEnvironment {
  tts: Pick<TtsEngine, 'synthesize'>;
  player: AudioSink;
  settings: VoiceSettings;
  history: ConversationHistory;
  emit: TurnManagerListener;
  now: () => number;
  createId: () => string;
  /** Settles once the work before this message has written its history. */
  previous: Promise<void>;
  /** That work while it runs: a barge-in stops the whole queue, and the state shows what is audible. */
  prior: Interruptible | null;
  disposeSignal: AbortSignal;
  onChange: () => void;
}

export class SpokenMessage implements Interruptible {
  /** Also the player's turn id for this message's audio. */
  readonly id: string;
  readonly messageId: string;
  /** Resolves when the message is in the history and done playing (or cut). */
  readonly settled: Promise<void>;
  readonly outcome: Promise<SpokenOutcome>;
  private readonly controller = new AbortController();
  private currentPhase: TurnPhase = 'waiting';
  private finished = false;
  private failed = false;
  private prior: Interruptible | null;
  private speech: SpeechPipeline | null = null;
  private unsubscribePlayer: (() => void) | null = null;
  private resolveOutcome: (outcome: SpokenOutcome) => void = () => {};

  constructor(
    private readonly text: string,
    private readonly options: SpeakOptions,
    private readonly env: SpokenMessageEnvironment,
  ) {
    this.id = env.createId();
    this.messageId = options.messageId ?? env.createId();
    this.prior = env.prior;
    this.outcome = new Promise((resolve) => (this.resolveOutcome = resolve));
    this.settled = this.outcome.then(() => undefined);
  }

  start(): void {
    this.env.disposeSignal.addEventListener('abort', this.onDispose, { once: true });
    void this.run().catch((error: unknown) => {
      this.reportError('tts', error);
      this.finish('failed');
    });
  }

  private readonly onDispose = (): void => void this.interrupt();

  /** While queued, what is audible is the work before it. */
  get phase(): TurnPhase {
    if (this.currentPhase === 'waiting' && this.prior?.active) return this.prior.phase;
    return this.currentPhase;
  }

  get active(): boolean {
    return !this.finished && !this.controller.signal.aborted;
  }

  /** Stops the speech (and whatever is queued before it); the message stays in the history. */
  interrupt(): Promise<void> {
    if (!this.active) return this.settled;
    this.controller.abort();
    void this.prior?.interrupt();
    if (this.currentPhase === 'generating' || this.currentPhase === 'speaking') void this.finishInterrupted();
    this.env.onChange();
    return this.settled;
  }

  private setPhase(phase: TurnPhase): void {
    this.currentPhase = phase;
    this.env.onChange();
  }

  private async run(): Promise<void> {
    await this.env.previous;
    this.prior = null;
    const message: HistoryMessage = {
      id: this.messageId,
      turnId: this.id,
      role: 'assistant',
      content: this.text.trim(),
      createdAt: Date.now(),
      ...(this.options.agentName ? { agentName: this.options.agentName } : {}),
    };
    this.env.history.append(message);
    this.env.emit({ type: 'history', messages: this.env.history.messages });
    if (this.controller.signal.aborted) return this.finish('interrupted');
    await this.say(message.content);
  }

  private async say(text: string): Promise<void> {
    const { settings, player, tts, now } = this.env;
    const signal = this.controller.signal;
    this.setPhase('generating');
    const speech = new SpeechPipeline({
      turnId: this.id,
      tts,
      player,
      voice: this.options.voice ?? settings.voice,
      speed: settings.speed,
      maxSegmentsAhead: settings.maxSegmentsAhead,
      signal,
      now,
      onFirstAudioReady: () => {},
      onFirstAudible: () => {
        if (this.active) this.setPhase('speaking');
      },
      onError: (stage, error) => {
        this.failed = true;
        this.reportError(stage, error);
      },
    });
    this.speech = speech;
    this.unsubscribePlayer = player.subscribe((event: PlayerEvent) => speech.handlePlayerEvent(event));
    await speech.run(splitSentences(once(text), settings.splitter));
    if (signal.aborted) return;
    await speech.waitUntilPlayed();
    if (signal.aborted) return;
    this.finish(this.failed ? 'failed' : 'completed');
  }

  private async finishInterrupted(): Promise<void> {
    if (this.speech?.hasAudio) {
      try {
        await this.env.player.stop();
      } catch (error) {
        this.reportError('player', error);
      }
    }
    this.finish('interrupted');
  }

  private reportError(stage: VoiceStage, error: unknown): void {
    this.env.emit({ type: 'error', stage, turnId: this.id, message: errorMessage(error), cause: error });
  }

  private finish(outcome: SpokenOutcome): void {
    if (this.finished) return;
    this.finished = true;
    this.currentPhase = 'done';
    this.unsubscribePlayer?.();
    this.env.disposeSignal.removeEventListener('abort', this.onDispose);
    this.env.onChange();
    this.resolveOutcome(outcome);
  }
}

async function* once(text: string): AsyncGenerator<string> {
  yield text;
}
