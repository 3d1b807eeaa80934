// One turn of the conversation: an utterance (or typed text) in, a spoken reply out. A turn is one
// object with one AbortController; aborting it stops generation, drops pending synthesis and
// silences the player, and the history keeps only the part of the reply the user heard.
import type { AsrEngine, EndOfTurnReason, LlmEngine, TtsEngine, TurnModelStats } from '../engines/types.ts';
import { TurnTimer, type TurnMark, type TurnModels, type TurnTimingRecord } from '../metrics/turn-timing.ts';
import { raceAbort } from './abortable.ts';
import { AsyncQueue } from '../lib/async-queue.ts';
import { EagerGeneration } from './eager-reply.ts';
import { errorMessage, type TurnManagerEvent, type TurnOutcome, type VoiceStage } from './events.ts';
import { ConversationHistory, type HistoryMessage } from './history.ts';
import { streamReply, type Reply } from './reply-stream.ts';
import type { TextSpeaker } from './player/types.ts';
import { SpeechPipeline } from './speech-pipeline.ts';
import { spokenText } from './transcript-filter.ts';
import { capUtterance } from './utterance-cap.ts';
import { TurnLifecycle, type TurnPhase, type VoiceWorkEnvironment } from './turn-lifecycle.ts';

export type { TurnPhase } from './turn-lifecycle.ts';

export interface VoiceEngines {
  asr: Pick<AsrEngine, 'transcribe'>;
  llm: Pick<LlmEngine, 'generate'>;
  tts: Pick<TtsEngine, 'synthesize'>;
  /** A voice that speaks the text itself (the browser's speech synthesis), used instead of `tts`. */
  speaker?: TextSpeaker;
  /** Recorded in each turn's timing. */
  models?: TurnModels;
  backends?: TurnTimingRecord['backends'];
}

/** How a voice turn was committed: when, why, and the eager replies of its utterance. */
export interface TurnCommit {
  /** The moment the turn was committed (the VAD's speech end). */
  at: number;
  reason: EndOfTurnReason;
  turnModel?: TurnModelStats;
  /** Silence heard after the last speech frame at the commit, in audio time. */
  silenceMs?: number;
  /** Eager replies started for this utterance, and how many of them were dropped before this commit. */
  eager?: { started: number; discarded: number };
}

/**
 * A voice turn without `commit` is eager: it starts at a pause, before the user is known to be
 * done, and nothing of it leaves the turn until `commit()`; `discard()` drops it without a trace.
 */
export type TurnInput =
  | { source: 'voice'; audio: Float32Array; commit?: TurnCommit; speechStart?: number; lastSpeech?: number }
  | { source: 'text'; text: string; at: number };

/** `disposeSignal` also stops transcription, which a barge-in does not. */
export interface TurnEnvironment extends VoiceWorkEnvironment {
  engines: VoiceEngines;
  recordTokenTimes: boolean;
  /**
   * A turn interrupted while transcribing still waits this long for its transcript (so what the
   * user said is kept); then it gives up, so a stuck ASR cannot hold up the next turn.
   */
  transcriptGraceMs: number;
  /** Called whenever the phase changes or the turn stops being active. */
  onChange: (turn: Turn) => void;
  /** Who answers the user's message (see `TurnRoute`); the assistant when absent. */
  route?: (message: HistoryMessage) => TurnRoute;
  /** Rewrites the reply before it is spoken and kept (the raw text stays in `generatedText`). */
  filterReply?: (text: string) => string;
}

/**
 * `assistant`: the LLM answers. `forwarded`: someone else took the message (a person during a
 * handoff, or the handoff itself); the turn ends with no reply.
 */
export type TurnRoute = 'assistant' | 'forwarded';

export class Turn {
  readonly id: string;
  readonly source: TurnInput['source'];
  /** Abort, phase, speech and the end, as a spoken message has them too. */
  private readonly life: TurnLifecycle;
  /** Stops transcription: on disposal, or when an interrupted turn's transcript is too late. */
  private readonly transcription = new AbortController();
  private readonly timer: TurnTimer;
  /** Set once the reply starts; the text grows token by token, the outcome comes at its end. */
  private replyMessageId: string | null = null;
  private generatedText = '';
  private reply: Reply | null = null;
  /** Until committed, the turn's events wait here: nothing is shown or sent for an eager turn. */
  private committed: boolean;
  private readonly held: TurnManagerEvent[] = [];
  private readonly commitDecision: Promise<boolean>;
  private resolveCommit: (committed: boolean) => void = () => {};
  /** The reply the LLM started before the commit (eager turns). */
  private eagerGeneration: EagerGeneration | null = null;

  constructor(
    private readonly input: TurnInput,
    private readonly env: TurnEnvironment,
  ) {
    this.id = env.createId();
    this.source = input.source;
    this.life = new TurnLifecycle(input.source === 'voice' ? 'transcribing' : 'waiting', {
      disposeSignal: env.disposeSignal,
      onDispose: () => {
        this.transcription.abort();
        void this.interrupt();
      },
      onChange: () => env.onChange(this),
    });
    this.committed = input.source === 'text' || input.commit !== undefined;
    this.commitDecision = this.committed ? Promise.resolve(true) : new Promise((resolve) => (this.resolveCommit = resolve));
    this.timer = new TurnTimer({
      turnId: this.id,
      source: input.source,
      models: env.engines.models,
      backends: env.engines.backends,
      recordTokenTimes: env.recordTokenTimes,
      now: env.now,
    });
  }

  /** Runs the turn in the background; `settled` resolves when it is over. */
  start(): void {
    this.life.start();
    void this.run(this.input).catch((error: unknown) => this.fail('llm', error));
  }

  /** Resolves when the turn is over. */
  get settled(): Promise<void> {
    return this.life.settled;
  }

  get phase(): TurnPhase {
    return this.life.phase;
  }

  /** Neither finished nor interrupted: the turn still owns the conversation. */
  get active(): boolean {
    return this.life.active;
  }

  /**
   * Stops the turn (barge-in, a new text message, the stop button). Playback stops at once.
   * A turn still transcribing finishes its transcription, so what the user said is kept; it then
   * ends without a reply and the next turn answers both utterances.
   */
  interrupt(): Promise<void> {
    return this.life.interrupt(() => {
      this.timer.flag('interrupted');
      if (this.life.producingAudio) void this.finishInterrupted();
      else if (this.life.phase === 'transcribing') setTimeout(() => this.transcription.abort(), this.env.transcriptGraceMs);
    });
  }

  /** Whether this turn has been committed (always, but for an eager turn before `commit`). */
  get isCommitted(): boolean {
    return this.committed;
  }

  /**
   * The user is done: an eager turn becomes the turn. What it did so far (its transcript, the
   * reply the LLM started) is kept, and the events it held go out in order.
   */
  commit(commit: TurnCommit): void {
    if (this.committed) return;
    this.committed = true;
    this.recordCommit(commit, true);
    for (const event of this.held.splice(0)) this.env.emit(event);
    this.env.emit({ type: 'timing', turnId: this.id, timing: this.timer.snapshot() });
    this.resolveCommit(true);
  }

  /** The user went on: an eager turn stops and leaves nothing behind (no event, no history). */
  discard(): void {
    if (this.committed) return;
    this.life.abort();
    this.transcription.abort();
    this.eagerGeneration?.drop();
    this.held.length = 0;
    this.life.end();
    this.resolveCommit(false);
    this.life.settle();
  }

  private recordCommit(commit: TurnCommit, keptEager: boolean): void {
    this.timer.mark('speechEnd', commit.at);
    for (const ms of commit.turnModel?.callMs ?? []) this.timer.turnModelCall(ms);
    this.timer.setEndOfTurn(commit.reason, {
      ...(commit.turnModel ? { probability: commit.turnModel.probability } : {}),
      ...(commit.silenceMs !== undefined ? { silenceMs: commit.silenceMs } : {}),
    });
    const { started = 0, discarded = 0 } = commit.eager ?? {};
    if (started > 0) this.timer.countEager('started', started);
    if (discarded > 0) this.timer.countEager('discarded', discarded);
    if (keptEager) this.timer.countEager('kept');
  }

  private emit(event: TurnManagerEvent): void {
    if (this.committed) this.env.emit(event);
    else this.held.push(event);
  }

  private get aborted(): boolean {
    return this.life.aborted;
  }

  private setPhase(phase: TurnPhase): void {
    this.life.setPhase(phase);
  }

  private mark(name: TurnMark, at?: number): void {
    if (this.timer.has(name)) return;
    this.timer.mark(name, at);
    this.emit({ type: 'timing', turnId: this.id, timing: this.timer.snapshot() });
  }

  private async run(input: TurnInput): Promise<void> {
    const userText = input.source === 'voice' ? await this.transcribe(input) : this.acceptText(input);
    if (userText === null) return;

    this.setPhase('waiting');
    await this.env.previous;
    if (!this.committed) {
      if (!this.aborted) this.startEagerGeneration(userText.text);
      if (!(await this.commitDecision)) return;
    }
    const message: HistoryMessage = {
      id: this.env.createId(),
      turnId: this.id,
      role: 'user',
      content: userText.text,
      createdAt: Date.now(),
      source: input.source,
      ...(userText.capped ? { utteranceCapped: true } : {}),
    };
    this.env.history.append(message);
    this.env.emit({ type: 'user-message', turnId: this.id, message });
    this.env.emit({ type: 'history', messages: this.env.history.messages });
    // Routed before the interruption check: a forwarded message must reach its recipient even
    // when the user talked on (the next turn only forwards its own words).
    if (this.env.route?.(message) === 'forwarded') return this.finish(this.aborted ? 'interrupted' : 'completed');
    if (this.aborted) return this.finish('interrupted');

    await this.respond();
  }

  /** The transcript, or null when the turn ended here (no speech, failure, disposal). */
  private async transcribe(input: Extract<TurnInput, { source: 'voice' }>): Promise<{ text: string; capped: boolean } | null> {
    if (input.speechStart !== undefined) this.mark('speechStart', input.speechStart);
    if (input.lastSpeech !== undefined) this.mark('lastSpeech', input.lastSpeech);
    if (input.commit) this.recordCommit(input.commit, false);
    const { maxUtteranceSeconds } = this.env.settings;
    const utterance = capUtterance(input.audio, maxUtteranceSeconds);
    if (utterance.capped) {
      this.emit({
        type: 'notice',
        notice: { kind: 'utterance-capped', turnId: this.id, maxSeconds: maxUtteranceSeconds, seconds: utterance.seconds },
      });
    }
    const signal = this.transcription.signal;
    try {
      const transcript = await raceAbort(this.env.engines.asr.transcribe(utterance.audio, { signal }), signal);
      this.mark('transcriptFinal');
      this.timer.compute('asr', transcript.computeMs);
      const text = spokenText(transcript.text);
      if (text === null) {
        this.emit({ type: 'notice', notice: { kind: 'no-speech', turnId: this.id, transcript: transcript.text } });
        this.finish('discarded');
        return null;
      }
      return { text, capped: utterance.capped };
    } catch (error) {
      if (signal.aborted) this.finish('interrupted');
      else this.fail('asr', error);
      return null;
    }
  }

  private acceptText(input: Extract<TurnInput, { source: 'text' }>): { text: string; capped: boolean } | null {
    this.mark('transcriptFinal', input.at);
    const text = input.text.trim();
    if (text === '') {
      this.finish('discarded');
      return null;
    }
    return { text, capped: false };
  }

  /**
   * Starts the LLM on the prompt the turn will have once committed (the history plus this
   * utterance), without touching the history: the tokens wait in the EagerGeneration.
   */
  private startEagerGeneration(userText: string): void {
    const { settings, engines, history, now } = this.env;
    const pending: HistoryMessage = { id: '', turnId: this.id, role: 'user', content: userText, createdAt: Date.now() };
    const messages = new ConversationHistory([...history.messages, pending]).toChatMessages(settings.systemPrompt, settings.contextChars);
    this.eagerGeneration = new EagerGeneration(engines.llm, messages, {
      maxTokens: settings.maxTokens[settings.responseMode],
      temperature: settings.temperature,
      signal: this.life.signal,
      now,
    });
  }

  private async respond(): Promise<void> {
    const { settings, player, now } = this.env;
    const emit = (event: TurnManagerEvent): void => this.emit(event);
    const signal = this.life.signal;
    const messages = this.env.history.toChatMessages(settings.systemPrompt, settings.contextChars);
    const eager = this.eagerGeneration;
    if (eager && !eager.answers(messages)) {
      // The prompt changed after the pause (e.g. a message arrived): the eager reply is not the answer.
      this.timer.countEager('kept', -1);
      this.timer.countEager('discarded');
    }
    const llm = eager ? eager.asLlm(this.env.engines.llm) : this.env.engines.llm;
    const engines = { ...this.env.engines, llm };
    this.setPhase('generating');
    const messageId = this.env.createId();
    this.replyMessageId = messageId;
    emit({ type: 'assistant-start', turnId: this.id, messageId });

    let spokenChars = 0;
    const speech = new SpeechPipeline({
      turnId: this.id,
      tts: engines.tts,
      player,
      ...(engines.speaker ? { speaker: engines.speaker } : {}),
      voice: settings.voice,
      speed: settings.speed,
      maxSegmentsAhead: settings.maxSegmentsAhead,
      signal,
      now,
      onFirstAudioReady: (at, computeMs) => {
        this.mark('firstAudioReady', at);
        this.timer.compute('ttsFirstAudio', computeMs);
      },
      onSentenceAudible: (sentence) => {
        // Where the sentence sits in the reply as shown; the words so far are the user's to read.
        const shown = this.env.filterReply ? this.env.filterReply(this.generatedText) : this.generatedText;
        const at = shown.indexOf(sentence, spokenChars);
        if (at < 0) return;
        spokenChars = at + sentence.length;
        emit({ type: 'assistant-spoken', turnId: this.id, messageId, spokenChars });
      },
      onFirstAudible: (at) => {
        // The output timestamp is a prediction; never let it precede the audio being ready.
        this.mark('firstAudioAudible', Math.max(at, this.timer.get('firstAudioReady') ?? at));
        if (this.active) this.setPhase('speaking');
      },
      onError: (stage, error) => this.reportError(stage, error),
    });
    this.life.useSpeech(speech, player);

    const sentences = new AsyncQueue<string>();
    const speaking = speech.run(sentences).catch((error: unknown) => this.reportError('tts', error));
    const maxTokens = settings.maxTokens[settings.responseMode];
    // The benchmark's naive baseline holds every sentence until the reply is whole.
    const streaming = settings.streaming !== false;
    const held: string[] = [];
    const generateStart = now();
    try {
      this.reply = await streamReply({
        llm: engines.llm,
        messages,
        maxTokens,
        temperature: settings.temperature,
        signal,
        splitter: settings.splitter,
        now,
        onToken: (token, text, at, sinceStart) => {
          if (!this.timer.has('llmFirstToken')) {
            // A kept eager reply had its first token before the replay: that is when it came.
            const first = eager?.firstToken;
            this.mark('llmFirstToken', first?.at ?? at);
            this.timer.compute('llmFirstToken', first?.sinceStart ?? sinceStart);
          }
          this.timer.token(at);
          this.generatedText = text;
          const shown = this.env.filterReply ? this.env.filterReply(text) : text;
          emit({ type: 'assistant-delta', turnId: this.id, messageId, delta: token, text: shown });
        },
        onSentence: (sentence, sinceStart) => {
          if (!streaming) {
            held.push(sentence);
            return;
          }
          if (!this.timer.has('firstSentenceReady')) {
            this.mark('firstSentenceReady');
            this.timer.compute('llmFirstSentence', sinceStart);
          }
          sentences.push(this.env.filterReply ? this.env.filterReply(sentence) : sentence);
        },
        onCapped: () => {
          this.timer.flag('capped');
          emit({ type: 'notice', notice: { kind: 'reply-capped', turnId: this.id, maxTokens } });
        },
        onError: (error) => this.reportError('llm', error),
      });
    } finally {
      if (held.length > 0 && !this.aborted) {
        // The whole reply is the first (and only) text handed to TTS: one chunk.
        this.mark('firstSentenceReady');
        this.timer.compute('llmFirstSentence', now() - generateStart);
        const whole = held.join(' ');
        sentences.push(this.env.filterReply ? this.env.filterReply(whole) : whole);
      }
      sentences.end();
    }
    await speaking;
    if (this.aborted) return;
    await speech.waitUntilPlayed();
    if (this.aborted) return;
    this.finish(this.reply.failed ? 'failed' : 'completed');
  }

  private async finishInterrupted(): Promise<void> {
    const report = await this.life.stopAudio(this.env.player, (error) => this.reportError('player', error));
    this.life.speech?.applyStopReport(report);
    this.finish('interrupted');
  }

  private reportError(stage: VoiceStage, error: unknown): void {
    this.emit({ type: 'error', stage, turnId: this.id, message: errorMessage(error), cause: error });
  }

  private fail(stage: VoiceStage, error: unknown): void {
    this.reportError(stage, error);
    this.finish('failed');
  }

  private finish(outcome: TurnOutcome): void {
    if (!this.life.end()) return;
    this.timer.mark('turnEnd');
    if (outcome === 'interrupted') this.timer.flag('interrupted');
    this.finishReply(outcome);
    this.emit({ type: 'turn-end', turnId: this.id, outcome, timing: this.timer.snapshot() });
    this.env.onChange(this);
    this.life.settle();
  }

  /** Writes the assistant message the user experienced to the history. */
  private finishReply(outcome: TurnOutcome): void {
    const messageId = this.replyMessageId;
    if (messageId === null) return;
    const interrupted = outcome === 'interrupted';
    const kept = interrupted ? (this.life.speech?.heardText() ?? '') : this.generatedText;
    const content = (this.env.filterReply ? this.env.filterReply(kept) : kept).trim();
    const message: HistoryMessage | null =
      content === ''
        ? null
        : {
            id: messageId,
            turnId: this.id,
            role: 'assistant',
            content,
            createdAt: Date.now(),
            ...(interrupted ? { interrupted: true } : {}),
            ...(this.reply?.capped ? { capped: true } : {}),
            ...(this.reply?.failed ? { failed: true } : {}),
          };
    if (message) {
      this.env.history.append(message);
      this.emit({ type: 'history', messages: this.env.history.messages });
    }
    this.emit({ type: 'assistant-final', turnId: this.id, messageId, message, generatedText: this.generatedText });
  }
}
