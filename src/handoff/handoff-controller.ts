// Moves a conversation between the on-device assistant and a person. In assistant mode it
// watches turns for a trigger; then it creates the handoff on the relay (transcript and summary
// included), routes the caller's words there as text, speaks the person's messages with the
// on-device voice, and goes back to assistant turns when the person returns the conversation,
// resolves it, or nobody claims it in time. It keeps what a reload needs in storage, and the
// event stream resumes after the last event it handled.
import { MAX_TEXT_CHARS, type ConversationState, type HandoffReason } from '../protocol/conversation.ts';
import type { RelayEvent, StateEvent } from '../protocol/events.ts';
import type { TurnManagerListener } from '../voice/events.ts';
import type { HistoryMessage } from '../voice/history.ts';
import type { SpeakOptions, SpokenOutcome } from '../voice/spoken-message.ts';
import type { TurnHooks } from '../voice/turn-manager.ts';
import type { TurnRoute } from '../voice/turn.ts';
import { announce } from './announcements.ts';
import type { ConversationStreamOptions } from './event-stream.ts';
import type { HandoffSettings } from './handoff-settings.ts';
import type { HandoffStatus, HandoffPhase } from './handoff-status.ts';
import type { HandoffStorage, OutgoingMessage, StoredHandoff } from './handoff-storage.ts';
import type { DeviceRelay } from './relay-client.ts';
import { RelayError } from './relay-error.ts';
import { stripToolCalls } from './tool-call.ts';
import { summarize, toTranscript } from './transcript.ts';
import { TriggerWatcher } from './trigger-watcher.ts';

/** What the controller needs of the voice loop (the TurnManager). */
export interface HandoffTurns {
  readonly messages: readonly HistoryMessage[];
  setHooks(hooks: TurnHooks): void;
  speak(text: string, options?: SpeakOptions): Promise<SpokenOutcome>;
  subscribe(listener: TurnManagerListener): () => void;
}

export interface HandoffNotice {
  id: string;
  level: 'info' | 'warning' | 'error';
  text: string;
}

export interface HandoffControllerOptions {
  turns: HandoffTurns;
  relay: DeviceRelay;
  storage: HandoffStorage;
  settings: () => HandoffSettings;
  /** The device conversation now open (conversation store id). */
  localConversationId: () => string;
  /** Opens the device conversation a resumed handoff belongs to, if another one is open. */
  openLocalConversation?: (id: string) => void;
  openStream: (options: ConversationStreamOptions) => { close(): void; reconnect(): void };
  onStatus: (status: HandoffStatus) => void;
  notify: (notice: HandoffNotice) => void;
  /** Before posting the caller's words again after a network failure. */
  retryDelayMs?: number;
}

const ACTIVE_STATES: readonly ConversationState[] = ['pending', 'assigned', 'expired'];

/** clientMessageId allows letters, digits, _ and - (64 at most); history ids are UUIDs. */
function clientMessageIdOf(messageId: string): string {
  return messageId.replace(/[^A-Za-z0-9_-]/gu, '-').slice(0, 64) || 'message';
}

export class HandoffController {
  private readonly watcher: TriggerWatcher;
  private stored: StoredHandoff | null = null;
  private phase: HandoffPhase = 'off';
  private reason: HandoffReason | null = null;
  private stream: { close(): void; reconnect(): void } | null = null;
  /** The caller's words said while the handoff is being created (no conversation to post to yet). */
  private early: OutgoingMessage[] = [];
  /** After asking again, events of the earlier rounds replayed before the new `handoff` are old news. */
  private skipUntilHandoff = false;
  private cancelRequested = false;
  private flushing = false;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private unsubscribe: (() => void) | null = null;
  private disposed = false;

  constructor(private readonly options: HandoffControllerOptions) {
    this.watcher = new TriggerWatcher(options.settings);
  }

  get status(): HandoffStatus {
    return { phase: this.phase, agentName: this.phase === 'with-agent' ? (this.stored?.agentName ?? null) : null, reason: this.reason };
  }

  /** Hooks into the turns and resumes a handoff that was under way before a reload. */
  start(): void {
    this.options.turns.setHooks({ route: (message) => this.route(message), filterReply: stripToolCalls });
    this.unsubscribe = this.options.turns.subscribe((event) => {
      if (this.phase !== 'off') return;
      if (event.type === 'assistant-final' && event.generatedText.trim() !== '') this.maybeBegin(this.watcher.onAssistantReply(event.generatedText));
      if (event.type === 'notice' && event.notice.kind === 'no-speech') this.maybeBegin(this.watcher.onEmptyTranscript());
    });
    this.resume();
  }

  /** Asks for a person now (e.g. a button); ignored while a handoff is under way. */
  request(reason: HandoffReason): void {
    if (this.phase === 'off') void this.begin(reason);
  }

  /** The caller wants the assistant back. */
  async cancel(): Promise<void> {
    if (this.phase === 'off') return;
    if (this.phase === 'connecting') {
      this.cancelRequested = true;
      return;
    }
    const stored = this.stored;
    if (!stored) return;
    try {
      const conversation = await this.options.relay.cancel(stored.conversationId, stored.token);
      this.applyState(conversation.state, 'cancel', conversation.agent?.name ?? null);
    } catch (error) {
      if (error instanceof RelayError && error.code === 'invalid_state') return void this.checkConversation();
      this.options.notify({ id: 'handoff', level: 'error', text: `Could not leave the conversation with a person: ${messageOf(error)}` });
    }
  }

  /** The network is back: reconnect the stream and deliver what waits. */
  reconnect(): void {
    this.stream?.reconnect();
    void this.flush();
  }

  dispose(): void {
    this.disposed = true;
    clearTimeout(this.retryTimer);
    this.stream?.close();
    this.unsubscribe?.();
    this.options.turns.setHooks({});
  }

  private resume(): void {
    const stored = this.options.storage.load();
    if (stored && stored.state === 'resolved') this.options.storage.save(null);
    if (!stored || stored.state === 'resolved') return this.publish();
    this.stored = stored;
    if (ACTIVE_STATES.includes(stored.state)) {
      if (stored.localConversationId !== this.options.localConversationId()) this.options.openLocalConversation?.(stored.localConversationId);
      this.phase = stored.state === 'assigned' ? 'with-agent' : 'waiting';
      this.openStream();
      void this.flush();
    }
    this.publish();
  }

  private route(message: HistoryMessage): TurnRoute {
    if (this.phase !== 'off') {
      this.forward(message);
      return 'forwarded';
    }
    const reason = this.watcher.onUserMessage(message.content);
    if (!reason) return 'assistant';
    // The message that asked is in the history, so it reaches the person in the transcript.
    void this.begin(reason);
    return 'forwarded';
  }

  private maybeBegin(reason: HandoffReason | null): void {
    if (reason) void this.begin(reason);
  }

  private async begin(reason: HandoffReason): Promise<void> {
    this.phase = 'connecting';
    this.reason = reason;
    this.cancelRequested = false;
    this.publish();
    const messages = this.options.turns.messages;
    const request = { reason, summary: summarize(messages, reason), transcript: toTranscript(messages) };
    const local = this.options.localConversationId();
    void this.options.turns.speak(announce.connecting);
    try {
      this.stored = await this.createOrAskAgain(request, local);
    } catch (error) {
      if (this.disposed) return;
      this.phase = 'off';
      this.reason = null;
      this.early = [];
      this.publish();
      this.options.notify({ id: 'handoff', level: 'error', text: `No person could be reached: ${messageOf(error)}` });
      void this.options.turns.speak(announce.unreachable);
      return;
    }
    if (this.disposed) return;
    this.stored.outbox = [...this.stored.outbox, ...this.early];
    this.early = [];
    this.phase = 'waiting';
    this.save();
    this.publish();
    this.openStream();
    void this.flush();
    if (this.cancelRequested) void this.cancel();
  }

  private async createOrAskAgain(request: Parameters<DeviceRelay['createHandoff']>[0], local: string): Promise<StoredHandoff> {
    const previous = this.stored;
    if (previous && previous.state === 'bot' && previous.localConversationId === local) {
      try {
        const conversation = await this.options.relay.requestAgain(previous.conversationId, previous.token, request);
        this.skipUntilHandoff = true;
        return { ...previous, state: conversation.state, agentName: null, outbox: [] };
      } catch (error) {
        // The relay forgot it, or it is not with the assistant there: start a new one.
        if (!(error instanceof RelayError) || error.retryable) throw error;
      }
    }
    const created = await this.options.relay.createHandoff(request);
    this.skipUntilHandoff = false;
    return {
      conversationId: created.conversation.id,
      token: created.token,
      lastEventId: null,
      state: created.conversation.state,
      agentName: null,
      localConversationId: local,
      outbox: [],
    };
  }

  private forward(message: HistoryMessage): void {
    const outgoing = { clientMessageId: clientMessageIdOf(message.id), text: message.content.slice(0, MAX_TEXT_CHARS) };
    if (this.phase === 'connecting' || !this.stored) {
      this.early.push(outgoing);
      return;
    }
    this.stored.outbox = [...this.stored.outbox, outgoing];
    this.save();
    void this.flush();
  }

  /** Posts the caller's words in order; a network failure waits and tries again (posts are idempotent). */
  private async flush(): Promise<void> {
    if (this.flushing) return;
    this.flushing = true;
    try {
      for (;;) {
        const stored = this.stored;
        const next = stored?.outbox[0];
        if (!stored || !next || this.disposed || this.phase === 'off' || this.phase === 'connecting') return;
        try {
          await this.options.relay.postMessage(stored.conversationId, stored.token, next);
        } catch (error) {
          if (error instanceof RelayError && error.retryable) {
            clearTimeout(this.retryTimer);
            this.retryTimer = setTimeout(() => void this.flush(), this.options.retryDelayMs ?? 2000);
            return;
          }
          // Refused for good: the words stay in the device's history, where the assistant sees them.
          if (!(error instanceof RelayError && error.code === 'invalid_state')) {
            this.options.notify({ id: 'handoff-message', level: 'warning', text: `A message could not be sent to the person: ${messageOf(error)}` });
          }
        }
        this.delivered(next.clientMessageId);
      }
    } finally {
      this.flushing = false;
    }
  }

  private delivered(clientMessageId: string | undefined): void {
    const stored = this.stored;
    if (!stored || clientMessageId === undefined) return;
    const outbox = stored.outbox.filter((m) => m.clientMessageId !== clientMessageId);
    if (outbox.length === stored.outbox.length) return;
    stored.outbox = outbox;
    this.save();
  }

  private openStream(): void {
    this.stream?.close();
    const stored = this.stored;
    if (!stored) return;
    this.stream = this.options.openStream({
      url: (last) => this.options.relay.streamUrl(stored.conversationId, stored.token, last),
      singleUse: true,
      lastEventId: stored.lastEventId,
      onEvent: (event) => this.onRelayEvent(event),
      // Once at first, then now and then: a stream that keeps failing may mean the relay forgot us.
      onBroken: (attempt) => {
        if (attempt === 1 || attempt % 5 === 0) void this.checkConversation();
      },
    });
  }

  private closeStream(): void {
    this.stream?.close();
    this.stream = null;
  }

  private onRelayEvent(event: RelayEvent): void {
    const stored = this.stored;
    if (!stored || event.conversationId !== stored.conversationId) return;
    if (this.skipUntilHandoff && event.type !== 'handoff') {
      stored.lastEventId = event.id;
      return this.save();
    }
    switch (event.type) {
      case 'handoff':
        this.skipUntilHandoff = false;
        break;
      case 'message':
        if (event.data.author === 'agent') this.speakAgentMessage(event.id, event.data.text, event.data.agent?.name);
        else this.delivered(event.data.clientMessageId);
        break;
      case 'state':
        this.applyState(event.data.to, event.data.cause, event.data.agent?.name ?? null);
        break;
    }
    if (this.stored) {
      this.stored.lastEventId = event.id;
      this.save();
    }
  }

  private speakAgentMessage(eventId: string, text: string, name: string | undefined): void {
    const stored = this.stored;
    if (!stored) return;
    // One history id per relay event: a message already kept is never added or spoken twice.
    const messageId = `relay-${stored.conversationId}-${eventId}`;
    if (this.options.turns.messages.some((m) => m.id === messageId)) return;
    void this.options.turns.speak(text, { agentName: name ?? stored.agentName ?? 'Agent', messageId });
  }

  private applyState(to: ConversationState, cause: StateEvent['data']['cause'], agentName: string | null): void {
    const stored = this.stored;
    if (!stored) return;
    stored.state = to;
    switch (to) {
      case 'pending':
        if (this.phase !== 'connecting') this.phase = 'waiting';
        break;
      case 'assigned':
        stored.agentName = agentName ?? stored.agentName;
        if (this.phase !== 'with-agent') {
          this.phase = 'with-agent';
          void this.options.turns.speak(announce.joined(stored.agentName ?? 'A person'));
        }
        break;
      case 'expired':
        break;
      case 'bot':
        this.backToAssistant(cause === 'sla' ? announce.nobodyFree : announce.returned);
        break;
      case 'resolved':
        this.backToAssistant(announce.ended(stored.agentName ?? 'The person'));
        this.stored = null;
        break;
    }
    this.save();
    this.publish();
  }

  private backToAssistant(announcement: string): void {
    if (this.phase === 'off') return;
    this.phase = 'off';
    this.reason = null;
    this.closeStream();
    clearTimeout(this.retryTimer);
    if (this.stored) this.stored.outbox = [];
    this.watcher.reset();
    void this.options.turns.speak(announcement);
  }

  /**
   * The stream keeps failing: if the relay no longer knows the conversation (or the token), end
   * it here. Anything else the stream replays once it reconnects, state changes included.
   */
  private async checkConversation(): Promise<void> {
    const stored = this.stored;
    if (!stored) return;
    try {
      await this.options.relay.conversation(stored.conversationId, stored.token);
    } catch (error) {
      if (!(error instanceof RelayError) || (error.status !== 404 && error.status !== 401)) return;
      if (this.stored !== stored) return;
      this.backToAssistant(announce.lost);
      this.stored = null;
      this.save();
      this.publish();
    }
  }

  private save(): void {
    this.options.storage.save(this.stored);
  }

  private publish(): void {
    this.options.onStatus(this.status);
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
