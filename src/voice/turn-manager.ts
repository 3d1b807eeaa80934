// The orchestration core of the voice loop, free of DOM and React: VAD events and typed text in,
// turns out. It decides when a turn starts (speech end, text), when one is cut short (barge-in),
// and which state the UI shows; each turn runs itself (turn.ts).
import type { VadEvent } from '../engines/types.ts';
import { errorMessage, type TurnManagerEvent, type TurnManagerListener, type VoiceState } from './events.ts';
import { ConversationHistory, type HistoryMessage } from './history.ts';
import { PartialTranscripts } from './partial-transcripts.ts';
import type { AudioSink } from './player/types.ts';
import { withDefaults, type VoiceSettings } from './settings.ts';
import { SpokenMessage, type SpeakOptions, type SpokenOutcome } from './spoken-message.ts';
import { Turn, type TurnCommit, type TurnInput, type TurnRoute, type VoiceEngines } from './turn.ts';
import type { VoiceWorkEnvironment } from './turn-lifecycle.ts';

/**
 * Ways for another part of the app (the human handoff) to take part in turns without the
 * manager knowing about it. Read at the moment they apply, so they may change between turns.
 */
export interface TurnHooks {
  /** Called with each user message once it is in the history: who answers it. */
  route?: (message: HistoryMessage) => TurnRoute;
  /** Rewrites the assistant's reply before it is spoken and kept (e.g. strips a tool-call marker). */
  filterReply?: (text: string) => string;
}

export interface TurnManagerOptions {
  engines: VoiceEngines;
  player: AudioSink;
  settings?: Partial<VoiceSettings>;
  /** A conversation to continue. */
  history?: readonly HistoryMessage[];
  /** Whether the microphone is live at start (see `setListening`). */
  listening?: boolean;
  /** Keep per-token timestamps in each turn's timing (debugging). */
  recordTokenTimes?: boolean;
  /** How long an interrupted turn still waits for its transcript (default 8 s). */
  transcriptGraceMs?: number;
  now?: () => number;
  createId?: () => string;
}

export class TurnManager {
  private settings: VoiceSettings;
  private engines: VoiceEngines;
  private readonly player: AudioSink;
  private history: ConversationHistory;
  /** Bumped when another conversation is loaded: turns of the old one no longer write history. */
  private conversation = 0;
  private readonly listeners = new Set<TurnManagerListener>();
  private readonly lifetime = new AbortController();
  private readonly now: () => number;
  private readonly createId: () => string;
  private readonly recordTokenTimes: boolean;
  private readonly transcriptGraceMs: number;
  /** The newest turn or spoken message; a spoken message chains to the work queued before it. */
  private activeTurn: Turn | SpokenMessage | null = null;
  private hooks: TurnHooks = {};
  /** Settles when the latest turn has written its history; the next turn waits for it. */
  private lastSettled: Promise<void> = Promise.resolve();
  private listening: boolean;
  private userSpeaking = false;
  private userSpeechStart: number | undefined;
  /** Half-duplex: the current utterance began while the assistant spoke, so it is the echo. */
  private ignoringUtterance = false;
  /** The player is held silent because the user may be starting to talk over the reply. */
  private holdingFor: string | null = null;
  private currentState: VoiceState;
  private readonly partials = new PartialTranscripts((text) => this.emit({ type: 'partial-transcript', text }));
  /** A turn started at the user's pause, waiting to be committed (speech end) or discarded (they go on). */
  private eagerTurn: Turn | null = null;
  /** Eager replies of the utterance in progress. */
  private eagerCounts = { started: 0, discarded: 0 };

  constructor(options: TurnManagerOptions) {
    this.settings = withDefaults(options.settings);
    this.engines = options.engines;
    this.player = options.player;
    this.history = new ConversationHistory(options.history);
    this.listening = options.listening ?? false;
    this.recordTokenTimes = options.recordTokenTimes ?? false;
    this.transcriptGraceMs = options.transcriptGraceMs ?? 8000;
    this.now = options.now ?? (() => performance.now());
    this.createId = options.createId ?? (() => crypto.randomUUID());
    this.currentState = this.deriveState();
  }

  get state(): VoiceState {
    return this.currentState;
  }

  get messages(): readonly HistoryMessage[] {
    return this.history.messages;
  }

  get currentSettings(): Readonly<VoiceSettings> {
    return this.settings;
  }

  /** Listens to every event; returns the unsubscribe function. */
  subscribe(listener: TurnManagerListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Applies from the next turn on; the turn in progress keeps the settings it started with. */
  updateSettings(settings: Partial<VoiceSettings>): void {
    this.settings = withDefaults({ ...this.settings, ...settings });
  }

  /** Swaps engines (another model tier, a wasm fallback after a lost GPU) from the next turn on. */
  setEngines(engines: Partial<VoiceEngines>): void {
    this.engines = { ...this.engines, ...engines };
  }

  /** Replaces the hooks; `{}` restores plain assistant turns. */
  setHooks(hooks: TurnHooks): void {
    this.hooks = hooks;
  }

  /**
   * Speaks `text` without the LLM (a person's message, an announcement): after the turns before
   * it, through the TTS and the player, with barge-in; the message goes into the history whole,
   * as the assistant's or, with `agentName`, as that person's. Resolves when it is over.
   */
  speak(text: string, options: SpeakOptions = {}): Promise<SpokenOutcome> {
    if (this.lifetime.signal.aborted || text.trim() === '') return Promise.resolve('interrupted');
    const conversation = this.conversation;
    const prior = this.activeTurn?.active ? this.activeTurn : null;
    const spoken = new SpokenMessage(text, options, {
      ...this.workEnvironment(conversation),
      tts: this.engines.tts,
      ...(this.engines.speaker ? { speaker: this.engines.speaker } : {}),
      prior,
      onChange: () => this.refreshState(),
    });
    this.activeTurn = spoken;
    this.lastSettled = spoken.settled;
    spoken.start();
    this.refreshState();
    return spoken.outcome;
  }

  /** Whether the microphone is live (hands-free on, push-to-talk held, not muted). */
  setListening(listening: boolean): void {
    this.listening = listening;
    if (!listening) {
      this.userSpeaking = false;
      this.ignoringUtterance = false;
      this.partials.speechCancelled();
      this.discardEager();
    }
    this.refreshState();
  }

  /** Replaces the conversation (opening another one); stops the turn in progress. */
  loadHistory(messages: readonly HistoryMessage[]): void {
    this.discardEager();
    void this.activeTurn?.interrupt();
    this.partials.reset();
    // A fresh object: a turn of the old conversation still finishing writes into the old one.
    this.history = new ConversationHistory(messages);
    this.conversation += 1;
    this.lastSettled = Promise.resolve();
    this.emit({ type: 'history', messages: this.history.messages });
  }

  clearHistory(): void {
    this.loadHistory([]);
  }

  handleVadEvent(event: VadEvent): void {
    if (event.type === 'speech-progress') {
      this.transcribePartial(event.audio);
      return;
    }
    if (event.type === 'speech-pause') {
      if (!this.ignoringUtterance) this.startEager(event.audio, event.lastSpeechAt);
      return;
    }
    if (event.type === 'speech-resumed') {
      // The user had not finished: whatever started at the pause goes, unseen.
      this.discardEager();
      return;
    }
    if (event.type !== 'error' && this.settings.halfDuplex && this.isAssistantAudible()) {
      // Half-duplex: while the assistant speaks, the microphone hears the assistant. The rest of
      // an utterance that started now is ignored too, even once the assistant is quiet.
      this.ignoringUtterance = event.type === 'speech-start' || event.type === 'speech-confirmed';
      this.userSpeaking = false;
      this.refreshState();
      return;
    }
    switch (event.type) {
      case 'speech-start':
        this.userSpeaking = true;
        this.userSpeechStart = event.at;
        this.eagerCounts = { started: 0, discarded: 0 };
        this.partials.speechStarted();
        if (this.isAssistantAudible() && this.activeTurn) {
          // Go quiet at once (the user must not wait for the speech to be confirmed), but keep
          // the place: a cough or a door slam should not cost the user the rest of the reply.
          this.holdingFor = this.activeTurn.id;
          this.player.hold(true);
          this.emit({ type: 'notice', notice: { kind: 'barge-in-hold', turnId: this.activeTurn.id, at: event.at } });
        }
        break;
      case 'speech-confirmed':
        if (this.ignoringUtterance) return;
        this.userSpeaking = true;
        this.holdingFor = null;
        if (this.activeTurn?.active) {
          this.emit({ type: 'notice', notice: { kind: 'barge-in', turnId: this.activeTurn.id } });
          void this.activeTurn.interrupt();
        }
        break;
      case 'speech-end': {
        if (this.ignoringUtterance) {
          this.ignoringUtterance = false;
          return;
        }
        const speechStart = this.userSpeechStart;
        this.userSpeaking = false;
        this.userSpeechStart = undefined;
        // Before the turn starts: its final transcription must not wait behind a partial one.
        this.partials.speechEnded();
        const commit: TurnCommit = {
          at: event.at,
          reason: event.reason,
          ...(event.turnModel ? { turnModel: event.turnModel } : {}),
          ...(event.silenceMs !== undefined ? { silenceMs: event.silenceMs } : {}),
          eager: this.eagerCounts,
        };
        // No speech since the pause: the eager turn heard all there was to hear, so it is the turn.
        const eager = this.eagerTurn;
        this.eagerTurn = null;
        const turnId = eager ? this.commitEager(eager, commit) : this.startTurn({ source: 'voice', audio: event.audio, commit, speechStart, lastSpeech: event.lastSpeechAt });
        this.partials.handOver(turnId);
        return;
      }
      case 'misfire':
        if (this.ignoringUtterance) {
          this.ignoringUtterance = false;
          return;
        }
        this.discardEager();
        this.userSpeaking = false;
        this.userSpeechStart = undefined;
        this.partials.speechCancelled();
        this.releaseHold();
        break;
      case 'error':
        this.emit({ type: 'error', stage: 'vad', message: event.message, cause: event });
        return;
    }
    this.refreshState();
  }

  /** Feeds a stream of VAD events into `handleVadEvent` until it ends. */
  async consumeVad(events: AsyncIterable<VadEvent>): Promise<void> {
    try {
      for await (const event of events) {
        if (this.lifetime.signal.aborted) return;
        this.handleVadEvent(event);
      }
    } catch (error) {
      this.emit({ type: 'error', stage: 'vad', message: errorMessage(error), cause: error });
    }
  }

  /** Starts a turn from typed text, cutting short the one in progress. Returns its id. */
  submitText(text: string): string | null {
    if (text.trim() === '') return null;
    this.discardEager();
    return this.startTurn({ source: 'text', text, at: this.now() });
  }

  /** Stops the turn in progress (a stop button); what was heard stays in the history. */
  interrupt(): Promise<void> {
    return this.activeTurn?.interrupt() ?? Promise.resolve();
  }

  /** Resolves once every turn started so far has finished and written its history. */
  whenIdle(): Promise<void> {
    return this.lastSettled;
  }

  dispose(): void {
    this.discardEager();
    this.partials.reset();
    this.lifetime.abort();
    this.listeners.clear();
  }

  private startTurn(input: TurnInput): string | null {
    if (this.lifetime.signal.aborted) return null;
    const turn = this.createTurn(input);
    this.adopt(turn);
    turn.start();
    this.refreshState();
    return turn.id;
  }

  /**
   * At the user's pause: a turn that transcribes the audio so far and starts the reply, while
   * the end-of-turn model decides. It stays invisible (not the active turn, no events) until
   * the speech end commits it.
   */
  private startEager(audio: Float32Array, lastSpeech: number): void {
    this.discardEager();
    if (!this.settings.eagerReplies || this.lifetime.signal.aborted) return;
    // The eager transcription may be the final one: it must not wait behind a partial pass.
    this.partials.paused();
    const turn = this.createTurn({ source: 'voice', audio, speechStart: this.userSpeechStart, lastSpeech });
    this.eagerTurn = turn;
    this.eagerCounts = { ...this.eagerCounts, started: this.eagerCounts.started + 1 };
    turn.start();
  }

  private discardEager(): void {
    const turn = this.eagerTurn;
    if (!turn) return;
    this.eagerTurn = null;
    this.eagerCounts = { ...this.eagerCounts, discarded: this.eagerCounts.discarded + 1 };
    turn.discard();
  }

  private commitEager(turn: Turn, commit: TurnCommit): string | null {
    if (this.lifetime.signal.aborted) return null;
    this.adopt(turn);
    turn.commit(commit);
    this.refreshState();
    return turn.id;
  }

  /** Makes `turn` the conversation's current turn, superseding the one in progress. */
  private adopt(turn: Turn): void {
    // A new utterance or message supersedes whatever is running (the VAD may end a segment
    // without confirming it first).
    void this.activeTurn?.interrupt();
    this.activeTurn = turn;
    this.lastSettled = turn.settled;
    this.emit({ type: 'turn-start', turnId: turn.id, source: turn.source });
  }

  private createTurn(input: TurnInput): Turn {
    const conversation = this.conversation;
    return new Turn(input, {
      ...this.workEnvironment(conversation),
      // Tracked, so partial transcripts wait while the ASR works on a final one.
      engines: { ...this.engines, asr: this.partials.track(this.engines.asr) },
      recordTokenTimes: this.recordTokenTimes,
      transcriptGraceMs: this.transcriptGraceMs,
      onChange: () => this.refreshState(),
      route: (message) => (conversation === this.conversation ? (this.hooks.route?.(message) ?? 'assistant') : 'assistant'),
      filterReply: (text) => this.hooks.filterReply?.(text) ?? text,
    });
  }

  /** What a new turn or spoken message gets: this conversation's history, after the work queued so far. */
  private workEnvironment(conversation: number): VoiceWorkEnvironment {
    return {
      player: this.player,
      settings: this.settings,
      history: this.history,
      emit: (event) => this.emitFromTurn(conversation, event),
      now: this.now,
      createId: this.createId,
      previous: this.lastSettled,
      disposeSignal: this.lifetime.signal,
    };
  }

  /** Shows what the user has said so far, unless it is the reply's echo or partials are off. */
  private transcribePartial(audio: Float32Array): void {
    if (!this.settings.partialTranscripts || !this.userSpeaking || this.ignoringUtterance) return;
    if (this.settings.halfDuplex && this.isAssistantAudible()) return;
    this.partials.progress(audio, this.engines.asr, this.settings.maxUtteranceSeconds);
  }

  /** A misfire: it was not speech after all, so the reply carries on from where it paused. */
  private releaseHold(): void {
    const turnId = this.holdingFor;
    if (turnId === null) return;
    this.holdingFor = null;
    this.player.hold(false);
    this.emit({ type: 'notice', notice: { kind: 'barge-in-released', turnId } });
  }

  private isAssistantAudible(): boolean {
    return this.activeTurn?.active === true && this.activeTurn.phase === 'speaking';
  }

  private deriveState(): VoiceState {
    const turn = this.activeTurn;
    if (turn?.active) {
      if (turn.phase === 'speaking') return 'speaking';
      return this.userSpeaking ? 'hearing' : 'thinking';
    }
    if (this.userSpeaking) return 'hearing';
    return this.listening ? 'listening' : 'idle';
  }

  private refreshState(): void {
    const state = this.deriveState();
    if (state === this.currentState) return;
    this.currentState = state;
    this.emit({ type: 'state', state });
  }

  /** Events about messages of a conversation that is no longer loaded are dropped. */
  private emitFromTurn(conversation: number, event: TurnManagerEvent): void {
    const aboutMessages = event.type === 'history' || event.type === 'user-message' || event.type === 'assistant-final';
    if (aboutMessages && conversation !== this.conversation) return;
    this.emit(event);
    this.partials.turnEvent(event);
  }

  private emit(event: TurnManagerEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        // A broken listener must not break the conversation.
        console.error('TurnManager listener failed', error);
      }
    }
  }
}
