// The handoff as one state value and one pure transition function. Everything that happens
// (a trigger, the relay's answers and events, the caller's words, the network) is an input;
// the answer is the next state and the effects to perform, in order. The controller performs
// them; nothing here touches the network, storage or the voice loop, so every rule can be
// tested by feeding inputs.
import type { ConversationState, HandoffReason } from '../protocol/conversation.ts';
import type { RelayEvent, StateEvent } from '../protocol/events.ts';
import { announce } from './announcements.ts';
import type { HandoffNotice, HandoffStatus } from './handoff-status.ts';
import type { OutgoingMessage, StoredHandoff } from './handoff-storage.ts';
import { enqueue, without } from './outbox.ts';

/** A handoff that reached the relay: the caller's words go there, its events come back. */
export interface ActiveHandoff {
  phase: 'waiting' | 'with-agent';
  /** Null after a reload (the reason is the relay's to keep). */
  reason: HandoffReason | null;
  handoff: StoredHandoff;
  /** After asking again, the earlier rounds are replayed before the new `handoff` event: old news. */
  skipUntilHandoff: boolean;
}

/**
 * `handoff` outside an active handoff is the one kept for asking again in the same conversation
 * (back with the assistant, state `bot`), or null.
 */
export type HandoffState =
  | { phase: 'off'; handoff: StoredHandoff | null }
  | {
      phase: 'connecting';
      reason: HandoffReason;
      handoff: StoredHandoff | null;
      /** The caller's words said before there is a conversation to post them to. */
      early: readonly OutgoingMessage[];
      cancelRequested: boolean;
    }
  | ActiveHandoff;

export const INITIAL_STATE: HandoffState = { phase: 'off', handoff: null };

export type HandoffInput =
  | { type: 'resume'; stored: StoredHandoff | null; localConversationId: string }
  | { type: 'trigger'; reason: HandoffReason; localConversationId: string }
  | { type: 'created'; conversationId: string; token: string; state: ConversationState; localConversationId: string }
  | { type: 'asked-again'; state: ConversationState }
  | { type: 'create-failed'; message: string }
  | { type: 'forward'; message: OutgoingMessage }
  | { type: 'cancel' }
  | { type: 'cancel-failed'; code: string; message: string }
  /** The relay's state as an answer (to cancelling) rather than as an event. */
  | { type: 'relay-state'; to: ConversationState; cause: StateEvent['data']['cause']; agentName: string | null }
  | { type: 'relay-event'; event: RelayEvent }
  | { type: 'stream-broken'; attempt: number }
  | { type: 'sent'; clientMessageId: string }
  | { type: 'refused'; clientMessageId: string; code: string; message: string }
  /** The relay no longer knows the conversation or its token. */
  | { type: 'lost'; conversationId: string };

export type HandoffEffect =
  | { type: 'speak'; text: string }
  /** `messageId` is one per relay event: the controller skips it when the history has it already. */
  | { type: 'speak-agent'; text: string; agentName: string; messageId: string }
  | { type: 'notify'; notice: HandoffNotice }
  | { type: 'open-local'; id: string }
  /** Asks again in `askAgain` when given (the controller falls back to a new one if the relay forgot it). */
  | { type: 'create'; reason: HandoffReason; askAgain: StoredHandoff | null; localConversationId: string }
  | { type: 'cancel'; handoff: StoredHandoff }
  | { type: 'check'; handoff: StoredHandoff }
  | { type: 'open-stream'; handoff: StoredHandoff }
  | { type: 'close-stream' }
  /** The outbox has words to post. */
  | { type: 'send' }
  | { type: 'stop-sending' }
  | { type: 'reset-triggers' };

export interface Transition {
  state: HandoffState;
  effects: HandoffEffect[];
}

const stay = (state: HandoffState): Transition => ({ state, effects: [] });

export function isActive(state: HandoffState): state is ActiveHandoff {
  return state.phase === 'waiting' || state.phase === 'with-agent';
}

export function statusOf(state: HandoffState): HandoffStatus {
  return {
    phase: state.phase,
    agentName: state.phase === 'with-agent' ? state.handoff.agentName : null,
    reason: state.phase === 'off' ? null : state.reason,
  };
}

export function transition(state: HandoffState, input: HandoffInput): Transition {
  switch (input.type) {
    case 'resume':
      return resume(input.stored, input.localConversationId);
    case 'trigger': {
      if (state.phase !== 'off') return stay(state);
      const kept = state.handoff;
      const askAgain = kept?.state === 'bot' && kept.localConversationId === input.localConversationId ? kept : null;
      return {
        state: { phase: 'connecting', reason: input.reason, handoff: kept, early: [], cancelRequested: false },
        // Created first: the transcript is the conversation so far, without the announcement.
        effects: [{ type: 'create', reason: input.reason, askAgain, localConversationId: input.localConversationId }, { type: 'speak', text: announce.connecting }],
      };
    }
    case 'created':
      if (state.phase !== 'connecting') return stay(state);
      return connected(state, {
        conversationId: input.conversationId,
        token: input.token,
        lastEventId: null,
        state: input.state,
        agentName: null,
        localConversationId: input.localConversationId,
        outbox: [],
      });
    case 'asked-again':
      if (state.phase !== 'connecting' || !state.handoff) return stay(state);
      // The stream resumes after the kept last event id, so only the new round is news.
      return connected(state, { ...state.handoff, state: input.state, agentName: null, outbox: [] }, true);
    case 'create-failed':
      if (state.phase !== 'connecting') return stay(state);
      return {
        state: { phase: 'off', handoff: state.handoff },
        effects: [
          { type: 'notify', notice: { id: 'handoff', level: 'error', text: `No person could be reached: ${input.message}` } },
          { type: 'speak', text: announce.unreachable },
        ],
      };
    case 'forward':
      if (state.phase === 'connecting') return stay({ ...state, early: [...state.early, input.message] });
      if (!isActive(state)) return stay(state);
      return { state: { ...state, handoff: { ...state.handoff, outbox: enqueue(state.handoff.outbox, input.message) } }, effects: [{ type: 'send' }] };
    case 'cancel':
      if (state.phase === 'connecting') return stay({ ...state, cancelRequested: true });
      return isActive(state) ? { state, effects: [{ type: 'cancel', handoff: state.handoff }] } : stay(state);
    case 'cancel-failed':
      // invalid_state: the conversation moved on meanwhile (returned, resolved); ask where it is.
      if (input.code === 'invalid_state' && state.handoff) return { state, effects: [{ type: 'check', handoff: state.handoff }] };
      if (input.code === 'invalid_state') return stay(state);
      return { state, effects: [{ type: 'notify', notice: { id: 'handoff', level: 'error', text: `Could not leave the conversation with a person: ${input.message}` } }] };
    case 'relay-state':
      return isActive(state) ? applyState(state, state.handoff, input.to, input.cause, input.agentName) : stay(state);
    case 'relay-event':
      return isActive(state) ? onRelayEvent(state, input.event) : stay(state);
    case 'stream-broken':
      // Once at first, then now and then: a stream that keeps failing may mean the relay forgot us.
      if (isActive(state) && (input.attempt === 1 || input.attempt % 5 === 0)) return { state, effects: [{ type: 'check', handoff: state.handoff }] };
      return stay(state);
    case 'sent':
      return isActive(state) ? stay(withOutbox(state, without(state.handoff.outbox, input.clientMessageId))) : stay(state);
    case 'refused': {
      if (!isActive(state)) return stay(state);
      // The words stay in the device's history, where the assistant sees them.
      const next = withOutbox(state, without(state.handoff.outbox, input.clientMessageId));
      if (input.code === 'invalid_state') return stay(next);
      return { state: next, effects: [{ type: 'notify', notice: { id: 'handoff-message', level: 'warning', text: `A message could not be sent to the person: ${input.message}` } }] };
    }
    case 'lost':
      if (state.handoff?.conversationId !== input.conversationId) return stay(state);
      if (isActive(state)) return backToAssistant(null, announce.lost);
      return stay({ ...state, handoff: null });
  }
}

function resume(stored: StoredHandoff | null, localConversationId: string): Transition {
  if (!stored || stored.state === 'resolved') return stay({ phase: 'off', handoff: null });
  if (stored.state === 'bot') return stay({ phase: 'off', handoff: stored });
  const effects: HandoffEffect[] = [];
  if (stored.localConversationId !== localConversationId) effects.push({ type: 'open-local', id: stored.localConversationId });
  effects.push({ type: 'open-stream', handoff: stored }, { type: 'send' });
  const phase = stored.state === 'assigned' ? 'with-agent' : 'waiting';
  return { state: { phase, reason: null, handoff: stored, skipUntilHandoff: false }, effects };
}

function connected(state: Extract<HandoffState, { phase: 'connecting' }>, created: StoredHandoff, askedAgain = false): Transition {
  const handoff = { ...created, outbox: [...created.outbox, ...state.early] };
  const effects: HandoffEffect[] = [{ type: 'open-stream', handoff }, { type: 'send' }];
  if (state.cancelRequested) effects.push({ type: 'cancel', handoff });
  return { state: { phase: 'waiting', reason: state.reason, handoff, skipUntilHandoff: askedAgain }, effects };
}

function onRelayEvent(state: ActiveHandoff, event: RelayEvent): Transition {
  if (event.conversationId !== state.handoff.conversationId) return stay(state);
  const handoff = { ...state.handoff, lastEventId: event.id };
  if (state.skipUntilHandoff && event.type !== 'handoff') return stay({ ...state, handoff });
  switch (event.type) {
    case 'handoff':
      return stay({ ...state, handoff, skipUntilHandoff: false });
    case 'message': {
      if (event.data.author !== 'agent') {
        // The relay's echo of the caller's words: delivered, whatever became of the post.
        const clientMessageId = event.data.clientMessageId;
        return stay({ ...state, handoff: clientMessageId === undefined ? handoff : { ...handoff, outbox: without(handoff.outbox, clientMessageId) } });
      }
      const agentName = event.data.agent?.name ?? handoff.agentName ?? 'Agent';
      const messageId = `relay-${handoff.conversationId}-${event.id}`;
      return { state: { ...state, handoff }, effects: [{ type: 'speak-agent', text: event.data.text, agentName, messageId }] };
    }
    case 'state':
      return applyState(state, handoff, event.data.to, event.data.cause, event.data.agent?.name ?? null);
  }
}

function applyState(
  state: ActiveHandoff,
  current: StoredHandoff,
  to: ConversationState,
  cause: StateEvent['data']['cause'],
  agentName: string | null,
): Transition {
  const handoff = { ...current, state: to };
  switch (to) {
    case 'pending':
      return stay({ ...state, phase: 'waiting', handoff });
    case 'assigned': {
      const named = { ...handoff, agentName: agentName ?? handoff.agentName };
      if (state.phase === 'with-agent') return stay({ ...state, handoff: named });
      return { state: { ...state, phase: 'with-agent', handoff: named }, effects: [{ type: 'speak', text: announce.joined(named.agentName ?? 'A person') }] };
    }
    case 'expired':
      return stay({ ...state, handoff });
    case 'bot':
      // Kept, for asking again in the same conversation.
      return backToAssistant({ ...handoff, outbox: [] }, cause === 'sla' ? announce.nobodyFree : announce.returned);
    case 'resolved':
      return backToAssistant(null, announce.ended(handoff.agentName ?? 'The person'));
  }
}

function backToAssistant(kept: StoredHandoff | null, announcement: string): Transition {
  return {
    state: { phase: 'off', handoff: kept },
    effects: [{ type: 'close-stream' }, { type: 'stop-sending' }, { type: 'reset-triggers' }, { type: 'speak', text: announcement }],
  };
}

function withOutbox(state: ActiveHandoff, outbox: OutgoingMessage[]): ActiveHandoff {
  return outbox === state.handoff.outbox ? state : { ...state, handoff: { ...state.handoff, outbox } };
}
