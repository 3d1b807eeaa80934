// Fakes for the handoff controller's unit tests: the voice loop, the relay and the event stream.
// The browser test runs the real ones.
import type { Conversation, ConversationState } from '../../protocol/conversation.ts';
import type { CreateHandoffRequest, PostMessageRequest } from '../../protocol/device-api.ts';
import type { RelayEvent } from '../../protocol/events.ts';
import type { TurnManagerEvent, TurnManagerListener } from '../../voice/events.ts';
import type { HistoryMessage } from '../../voice/history.ts';
import type { SpeakOptions, SpokenOutcome } from '../../voice/spoken-message.ts';
import type { TurnHooks } from '../../voice/turn-manager.ts';
import type { TurnRoute } from '../../voice/turn.ts';
import type { ConversationStreamOptions } from '../../net/event-stream.ts';
import type { HandoffTurns } from '../handoff-controller.ts';
import type { DeviceRelay } from '../relay-client.ts';
import { RelayError } from '../../net/relay-error.ts';

export const CONVERSATION_ID = '6f1c2b7e-3d4a-4f5b-9c8d-1e2f3a4b5c6d';
const AT = '2025-01-01T12:00:00.000Z';

let nextId = 0;
export function messageId(): string {
  nextId += 1;
  return `m${nextId}`;
}

export class FakeTurns implements HandoffTurns {
  messages: HistoryMessage[] = [];
  hooks: TurnHooks = {};
  readonly spoken: { text: string; options: SpeakOptions }[] = [];
  private readonly listeners = new Set<TurnManagerListener>();

  setHooks(hooks: TurnHooks): void {
    this.hooks = hooks;
  }

  speak(text: string, options: SpeakOptions = {}): Promise<SpokenOutcome> {
    this.spoken.push({ text, options });
    this.messages.push({
      id: options.messageId ?? messageId(),
      turnId: 't',
      role: 'assistant',
      content: text,
      createdAt: Date.now(),
      ...(options.agentName ? { agentName: options.agentName } : {}),
    });
    return Promise.resolve('completed');
  }

  subscribe(listener: TurnManagerListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(event: TurnManagerEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  /** The caller said or typed `text`: it goes into the history, then the route decides. */
  user(text: string): TurnRoute {
    const message: HistoryMessage = { id: messageId(), turnId: 't', role: 'user', content: text, createdAt: Date.now(), source: 'text' };
    this.messages.push(message);
    return this.hooks.route?.(message) ?? 'assistant';
  }

  /** The assistant replied `generated` (the raw model text). */
  assistant(generated: string): void {
    const content = this.hooks.filterReply?.(generated) ?? generated;
    const message: HistoryMessage = { id: messageId(), turnId: 't', role: 'assistant', content, createdAt: Date.now() };
    this.messages.push(message);
    this.emit({ type: 'assistant-final', turnId: 't', messageId: message.id, message, generatedText: generated });
  }

  texts(): string[] {
    return this.spoken.map((s) => s.text);
  }
}

function conversation(state: ConversationState, agent: Conversation['agent'] = null): Conversation {
  return {
    id: CONVERSATION_ID,
    state,
    reason: { kind: 'explicit_request' },
    summary: '',
    agent,
    createdAt: AT,
    updatedAt: AT,
    pendingSince: state === 'pending' ? AT : null,
    slaDeadline: null,
  };
}

export class FakeRelay implements DeviceRelay {
  readonly created: CreateHandoffRequest[] = [];
  readonly askedAgain: CreateHandoffRequest[] = [];
  readonly posted: PostMessageRequest[] = [];
  readonly cancelled: string[] = [];
  /** Errors thrown by the next calls of a method, in order. */
  readonly failures: Partial<Record<'create' | 'again' | 'post' | 'cancel' | 'get' | 'ticket', RelayError[]>> = {};
  /** Holds createHandoff until resolved. */
  createGate: Promise<void> | null = null;

  private fail(method: keyof FakeRelay['failures']): void {
    const error = this.failures[method]?.shift();
    if (error) throw error;
  }

  async createHandoff(request: CreateHandoffRequest) {
    this.created.push(request);
    if (this.createGate) await this.createGate;
    this.fail('create');
    return { conversation: conversation('pending'), token: 'device-token', eventsUrl: `/events/${CONVERSATION_ID}` };
  }

  async requestAgain(_id: string, _token: string, request: CreateHandoffRequest) {
    this.askedAgain.push(request);
    this.fail('again');
    return conversation('pending');
  }

  async postMessage(_id: string, _token: string, message: PostMessageRequest) {
    this.fail('post');
    this.posted.push(message);
  }

  async cancel(id: string) {
    this.cancelled.push(id);
    this.fail('cancel');
    return conversation('bot');
  }

  async conversation() {
    this.fail('get');
    return { conversation: conversation('assigned'), events: [] };
  }

  /** Each call stands for a new single-use ticket. */
  readonly tickets: string[] = [];

  async streamUrl(id: string, _token: string, lastEventId: string | null): Promise<string> {
    this.fail('ticket');
    const ticket = `ticket-${this.tickets.length + 1}`;
    this.tickets.push(ticket);
    return `/events/${id}?ticket=${ticket}${lastEventId ? `&lastEventId=${lastEventId}` : ''}`;
  }
}

/** Records each stream the controller opens; a test pushes events through `deliver`. */
export class FakeStreams {
  readonly opened: (ConversationStreamOptions & { closed: boolean; reconnects: number })[] = [];

  open = (options: ConversationStreamOptions) => {
    const stream = { ...options, closed: false, reconnects: 0 };
    this.opened.push(stream);
    return {
      close: () => void (stream.closed = true),
      reconnect: () => void (stream.reconnects += 1),
    };
  };

  get current() {
    const stream = this.opened.at(-1);
    if (!stream) throw new Error('no stream opened');
    return stream;
  }

  deliver(event: RelayEvent): void {
    if (!this.current.closed) this.current.onEvent(event);
  }
}

let eventId = 100;
const base = () => ({ id: String((eventId += 1)), conversationId: CONVERSATION_ID, at: AT });

export const relayEvents = {
  claim: (name = 'Alex'): RelayEvent => ({ ...base(), type: 'state', data: { from: 'pending', to: 'assigned', cause: 'claim', agent: { id: 'a1', name } } }),
  agentMessage: (text: string, name = 'Alex'): RelayEvent => ({ ...base(), type: 'message', data: { author: 'agent', text, agent: { id: 'a1', name } } }),
  userMessage: (text: string, clientMessageId: string): RelayEvent => ({ ...base(), type: 'message', data: { author: 'user', text, clientMessageId } }),
  returned: (): RelayEvent => ({ ...base(), type: 'state', data: { from: 'assigned', to: 'bot', cause: 'return', agent: { id: 'a1', name: 'Alex' }, transcript: [] } }),
  resolved: (): RelayEvent => ({ ...base(), type: 'state', data: { from: 'assigned', to: 'resolved', cause: 'resolve', agent: { id: 'a1', name: 'Alex' } } }),
  expired: (): RelayEvent => ({ ...base(), type: 'state', data: { from: 'pending', to: 'expired', cause: 'sla' } }),
  expiredToBot: (): RelayEvent => ({ ...base(), type: 'state', data: { from: 'expired', to: 'bot', cause: 'sla' } }),
  cancelled: (): RelayEvent => ({ ...base(), type: 'state', data: { from: 'pending', to: 'bot', cause: 'cancel' } }),
  handoff: (): RelayEvent => ({ ...base(), type: 'handoff', data: { reason: { kind: 'explicit_request' }, summary: '', transcript: [] } }),
  pending: (): RelayEvent => ({ ...base(), type: 'state', data: { from: 'bot', to: 'pending', cause: 'handoff' } }),
};
