// A message spoken without the LLM: a person's reply during a handoff, or a short announcement
// ("Connecting you to a person…"). It waits for the turns before it, goes into the history
// whole (it was written, not generated: the user sees all of it even if they talk over it),
// and is spoken sentence by sentence through the same speech pipeline and barge-in as a reply.
import type { TtsEngine } from '../engines/types.ts';
import { errorMessage, type VoiceStage } from './events.ts';
import type { HistoryMessage } from './history.ts';
import { splitSentences } from './sentence-splitter.ts';
import type { TextSpeaker } from './player/types.ts';
import { SpeechPipeline } from './speech-pipeline.ts';
import { TurnLifecycle, type TurnPhase, type VoiceWorkEnvironment } from './turn-lifecycle.ts';

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

export interface SpokenMessageEnvironment extends VoiceWorkEnvironment {
  tts: Pick<TtsEngine, 'synthesize'>;
  /** Speaks instead of `tts` (the browser's speech synthesis). */
  speaker?: TextSpeaker;
  /** The work before this message (`previous`) while it runs: a barge-in stops the whole queue, and the state shows what is audible. */
  prior: Interruptible | null;
  onChange: () => void;
}

export class SpokenMessage implements Interruptible {
  /** Also the player's turn id for this message's audio. */
  readonly id: string;
  readonly messageId: string;
  readonly outcome: Promise<SpokenOutcome>;
  /** Abort, phase, speech and the end, as a turn has them too. */
  private readonly life: TurnLifecycle;
  private failed = false;
  private prior: Interruptible | null;
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
    this.life = new TurnLifecycle('waiting', {
      disposeSignal: env.disposeSignal,
      onDispose: () => void this.interrupt(),
      onChange: () => env.onChange(),
    });
  }

  /** Resolves when the message is in the history and done playing (or cut). */
  get settled(): Promise<void> {
    return this.life.settled;
  }

  start(): void {
    this.life.start();
    void this.run().catch((error: unknown) => {
      this.reportError('tts', error);
      this.finish('failed');
    });
  }

  /** While queued, what is audible is the work before it. */
  get phase(): TurnPhase {
    if (this.life.phase === 'waiting' && this.prior?.active) return this.prior.phase;
    return this.life.phase;
  }

  get active(): boolean {
    return this.life.active;
  }

  /** Stops the speech (and whatever is queued before it); the message stays in the history. */
  interrupt(): Promise<void> {
    return this.life.interrupt(() => {
      void this.prior?.interrupt();
      if (this.life.producingAudio) void this.finishInterrupted();
    });
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
    if (this.life.aborted) return this.finish('interrupted');
    await this.say(message.content);
  }

  private async say(text: string): Promise<void> {
    const { settings, player, tts, speaker, now } = this.env;
    const signal = this.life.signal;
    this.life.setPhase('generating');
    const speech = new SpeechPipeline({
      turnId: this.id,
      tts,
      player,
      ...(speaker ? { speaker } : {}),
      voice: this.options.voice ?? settings.voice,
      speed: settings.speed,
      maxSegmentsAhead: settings.maxSegmentsAhead,
      signal,
      now,
      onFirstAudioReady: () => {},
      onFirstAudible: () => {
        if (this.active) this.life.setPhase('speaking');
      },
      onError: (stage, error) => {
        this.failed = true;
        this.reportError(stage, error);
      },
    });
    this.life.useSpeech(speech, player);
    await speech.run(splitSentences(once(text), settings.splitter));
    if (signal.aborted) return;
    await speech.waitUntilPlayed();
    if (signal.aborted) return;
    this.finish(this.failed ? 'failed' : 'completed');
  }

  private async finishInterrupted(): Promise<void> {
    await this.life.stopAudio(this.env.player, (error) => this.reportError('player', error));
    this.finish('interrupted');
  }

  private reportError(stage: VoiceStage, error: unknown): void {
    this.env.emit({ type: 'error', stage, turnId: this.id, message: errorMessage(error), cause: error });
  }

  private finish(outcome: SpokenOutcome): void {
    if (!this.life.end()) return;
    this.env.onChange();
    this.resolveOutcome(outcome);
    this.life.settle();
  }
}

async function* once(text: string): AsyncGenerator<string> {
  yield text;
}
