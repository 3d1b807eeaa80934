// The relay calls the handoff's effects ask for, each answered as the state machine's next
// input, so what a failure means (a new conversation, a notice, a lost handoff) is decided in
// one place per call rather than in the controller's plumbing.
import type { HistoryMessage } from '../voice/history.ts';
import type { HandoffEffect, HandoffInput } from './handoff-machine.ts';
import type { StoredHandoff } from './handoff-storage.ts';
import type { DeviceRelay } from './relay-client.ts';
import { RelayError } from '../net/relay-error.ts';
import { summarize, toTranscript } from './transcript.ts';

type CreateEffect = Extract<HandoffEffect, { type: 'create' }>;

/** Asks again in the kept conversation when there is one, else (or if the relay forgot it) creates one. */
export async function createHandoff(relay: DeviceRelay, messages: readonly HistoryMessage[], effect: CreateEffect): Promise<HandoffInput> {
  // Read now, before anything else is said: the transcript is the conversation so far.
  const request = { reason: effect.reason, summary: summarize(messages, effect.reason), transcript: toTranscript(messages) };
  try {
    if (effect.askAgain) {
      try {
        const { state } = await relay.requestAgain(effect.askAgain.conversationId, effect.askAgain.token, request);
        return { type: 'asked-again', state };
      } catch (error) {
        // Forgotten, or not with the assistant there: a new conversation will do.
        if (!(error instanceof RelayError) || error.retryable) throw error;
      }
    }
    const { conversation, token } = await relay.createHandoff(request);
    return { type: 'created', conversationId: conversation.id, token, state: conversation.state, localConversationId: effect.localConversationId };
  } catch (error) {
    return { type: 'create-failed', message: messageOf(error) };
  }
}

export async function cancelHandoff(relay: DeviceRelay, handoff: StoredHandoff): Promise<HandoffInput> {
  try {
    const conversation = await relay.cancel(handoff.conversationId, handoff.token);
    return { type: 'relay-state', to: conversation.state, cause: 'cancel', agentName: conversation.agent?.name ?? null };
  } catch (error) {
    return { type: 'cancel-failed', code: codeOf(error), message: messageOf(error) };
  }
}

/**
 * Whether the relay still knows the conversation and its token; null when it does, or when it
 * cannot tell now (the stream replays anything else once it reconnects, state changes included).
 */
export async function checkHandoff(relay: DeviceRelay, handoff: StoredHandoff): Promise<HandoffInput | null> {
  try {
    await relay.conversation(handoff.conversationId, handoff.token);
    return null;
  } catch (error) {
    const lost = error instanceof RelayError && (error.status === 404 || error.status === 401);
    return lost ? { type: 'lost', conversationId: handoff.conversationId } : null;
  }
}

export function codeOf(error: unknown): string {
  return error instanceof RelayError ? error.code : 'error';
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
