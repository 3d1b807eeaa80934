// Moves a conversation between the on-device assistant and a person. In assistant mode it
// watches turns for a trigger; then it creates the handoff on the relay (transcript and summary
// included), routes the caller's words there as text, speaks the person's messages with the
// on-device voice, and goes back to assistant turns when the person returns the conversation,
// resolves it, or nobody claims it in time.
//
// The rules are in `handoff-machine.ts`; this turns the world into its inputs and performs
// the effects it asks for: the relay calls, the stream (`handoff-stream.ts`), the outbox
// (`outbox.ts`), speech and notices. The state's stored handoff is saved whenever it changes,
// so a reload resumes it and the stream after the last event handled.
import type { HandoffReason } from '../protocol/conversation.ts';
import type { HistoryMessage } from '../voice/history.ts';
import type { SpeakOptions, SpokenOutcome } from '../voice/spoken-message.ts';
import type { TurnManagerListener } from '../voice/events.ts';
import type { TurnHooks } from '../voice/turn-manager.ts';
import type { TurnRoute } from '../voice/turn.ts';
import { INITIAL_STATE, isActive, statusOf, transition, type HandoffEffect, type HandoffInput, type HandoffState } from './handoff-machine.ts';
import type { HandoffSettings } from './handoff-settings.ts';
import type { HandoffNotice, HandoffStatus } from './handoff-status.ts';
import { routeOf } from './handoff-route.ts';
import type { HandoffStorage, StoredHandoff } from './handoff-storage.ts';
import { HandoffStream, type OpenStream } from './handoff-stream.ts';
import { OutboxSender } from './outbox.ts';
import type { DeviceRelay } from './relay-client.ts';
import { cancelHandoff, checkHandoff, codeOf, createHandoff, messageOf } from './relay-actions.ts';
import { stripToolCalls } from './tool-call.ts';
import { TriggerWatcher } from './trigger-watcher.ts';

export type { HandoffNotice } from './handoff-status.ts';

/** What the controller needs of the voice loop (the TurnManager). */
export interface HandoffTurns {
  readonly messages: readonly HistoryMessage[];
  setHooks(hooks: TurnHooks): void;
  speak(text: string, options?: SpeakOptions): Promise<SpokenOutcome>;
  subscribe(listener: TurnManagerListener): () => void;
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
  openStream: OpenStream;
  onStatus: (status: HandoffStatus) => void;
  notify: (notice: HandoffNotice) => void;
  /** Before posting the caller's words again after a network failure. */
  retryDelayMs?: number;
}

export class HandoffController {
  private readonly watcher: TriggerWatcher;
  private readonly stream: HandoffStream;
  private readonly outbox: OutboxSender;
  private state: HandoffState = INITIAL_STATE;
  private saved: StoredHandoff | null = null;
  private published: HandoffStatus | null = null;
  private readonly effects: HandoffEffect[] = [];
  private performing = false;
  private cancelling: Promise<void> | undefined;
  private unsubscribe: (() => void) | null = null;
  private disposed = false;

  constructor(private readonly options: HandoffControllerOptions) {
    this.watcher = new TriggerWatcher(options.settings);
    this.stream = new HandoffStream(options.openStream, options.relay);
    this.outbox = new OutboxSender({
      next: () => (isActive(this.state) && this.state.handoff.outbox[0] ? { ...this.state.handoff, message: this.state.handoff.outbox[0] } : null),
      post: (id, token, message) => options.relay.postMessage(id, token, message),
      onSent: (clientMessageId) => this.dispatch({ type: 'sent', clientMessageId }),
      onRefused: (clientMessageId, error) => this.dispatch({ type: 'refused', clientMessageId, code: codeOf(error), message: messageOf(error) }),
      ...(options.retryDelayMs === undefined ? {} : { retryDelayMs: options.retryDelayMs }),
    });
  }

  get status(): HandoffStatus {
    return statusOf(this.state);
  }

  /** Hooks into the turns and resumes a handoff that was under way before a reload. */
  start(): void {
    this.options.turns.setHooks({ route: (message) => this.route(message), filterReply: stripToolCalls });
    this.unsubscribe = this.options.turns.subscribe((event) => {
      if (this.state.phase !== 'off') return;
      let reason: HandoffReason | null = null;
      if (event.type === 'assistant-final' && event.generatedText.trim() !== '') reason = this.watcher.onAssistantReply(event.generatedText);
      if (event.type === 'notice' && event.notice.kind === 'no-speech') reason = this.watcher.onEmptyTranscript();
      if (reason) this.dispatch({ type: 'trigger', reason, localConversationId: this.options.localConversationId() }, 'after-the-turn');
    });
    this.saved = this.options.storage.load();
    this.dispatch({ type: 'resume', stored: this.saved, localConversationId: this.options.localConversationId() });
  }

  /** Asks for a person now (e.g. a button); ignored while a handoff is under way. */
  request(reason: HandoffReason): void {
    this.dispatch({ type: 'trigger', reason, localConversationId: this.options.localConversationId() });
  }

  /** The caller wants the assistant back (at once if the handoff is still being created). */
  async cancel(): Promise<void> {
    this.cancelling = undefined;
    this.dispatch({ type: 'cancel' });
    // The dispatch may have started the relay call (runEffects sets `cancelling`); read it anew.
    await this.pendingCancel();
  }

  private pendingCancel(): Promise<void> | undefined {
    return this.cancelling;
  }

  /** The network is back: reconnect the stream and deliver what waits. */
  reconnect(): void {
    this.stream.reconnect();
    this.outbox.kick();
  }

  dispose(): void {
    this.disposed = true;
    this.outbox.dispose();
    this.stream.close();
    this.unsubscribe?.();
    this.options.turns.setHooks({});
  }

  /** The state changes now, so the next message routes right; the effects wait until the turn has taken the answer. */
  private route(message: HistoryMessage): TurnRoute {
    const reason = this.state.phase === 'off' ? this.watcher.onUserMessage(message.content) : null;
    const { route, input } = routeOf(this.state, message, reason, this.options.localConversationId());
    if (input) this.dispatch(input, 'after-the-turn');
    return route;
  }

  private dispatch(input: HandoffInput, when: 'now' | 'after-the-turn' = 'now'): void {
    if (this.disposed) return;
    const { state, effects } = transition(this.state, input);
    this.state = state;
    this.effects.push(...effects);
    if (when === 'now') this.perform();
    else queueMicrotask(() => this.perform());
  }

  /** In order, including what they dispatch in turn; the state is saved and published first. */
  private perform(): void {
    if (this.performing || this.disposed) return;
    this.performing = true;
    try {
      this.persist();
      for (let effect = this.effects.shift(); effect; effect = this.effects.shift()) {
        this.run(effect);
        this.persist();
        if (this.disposed) return;
      }
    } finally {
      this.performing = false;
    }
  }

  private persist(): void {
    const handoff = this.state.handoff;
    if (handoff !== this.saved) {
      this.saved = handoff;
      this.options.storage.save(handoff);
    }
    const status = this.status;
    const last = this.published;
    if (!last || last.phase !== status.phase || last.agentName !== status.agentName || last.reason !== status.reason) {
      this.published = status;
      this.options.onStatus(status);
    }
  }

  private run(effect: HandoffEffect): void {
    const { turns, relay } = this.options;
    switch (effect.type) {
      case 'speak':
        return void turns.speak(effect.text);
      case 'speak-agent':
        // Replayed to a page that kept it before a reload: never added or spoken twice.
        if (turns.messages.some((m) => m.id === effect.messageId)) return;
        return void turns.speak(effect.text, { agentName: effect.agentName, messageId: effect.messageId });
      case 'notify':
        return this.options.notify(effect.notice);
      case 'open-local':
        return this.options.openLocalConversation?.(effect.id);
      case 'create':
        return void createHandoff(relay, turns.messages, effect).then((input) => this.dispatch(input));
      case 'cancel':
        this.cancelling = cancelHandoff(relay, effect.handoff).then((input) => this.dispatch(input));
        return;
      case 'check':
        return void checkHandoff(relay, effect.handoff).then((input) => input && this.dispatch(input));
      case 'open-stream':
        return this.stream.follow(effect.handoff, {
          onEvent: (event) => this.dispatch({ type: 'relay-event', event }),
          onBroken: (attempt) => this.dispatch({ type: 'stream-broken', attempt }),
        });
      case 'close-stream':
        return this.stream.close();
      case 'send':
        return this.outbox.kick();
      case 'stop-sending':
        return this.outbox.stop();
      case 'reset-triggers':
        return this.watcher.reset();
    }
  }
}
