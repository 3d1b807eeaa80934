// The routing hook's decision, kept pure: the voice loop asks it synchronously, in the middle
// of a turn, so it only says where the message goes and which input the state machine gets;
// the controller performs the consequences once the turn has its answer.
import { MAX_TEXT_CHARS, type HandoffReason } from '../protocol/conversation.ts';
import type { HistoryMessage } from '../voice/history.ts';
import type { TurnRoute } from '../voice/turn.ts';
import type { HandoffInput, HandoffState } from './handoff-machine.ts';
import type { OutgoingMessage } from './handoff-storage.ts';

/** clientMessageId allows letters, digits, _ and - (64 at most); history ids are UUIDs. */
function outgoingOf(message: HistoryMessage): OutgoingMessage {
  const clientMessageId = message.id.replace(/[^A-Za-z0-9_-]/gu, '-').slice(0, 64) || 'message';
  return { clientMessageId, text: message.content.slice(0, MAX_TEXT_CHARS) };
}

/**
 * Where a caller's message goes: to the relay while a handoff is under way or when it asks for
 * a person (`reason`: the trigger it fired, if any), else to the assistant. The message that
 * asks is in the history already, so it reaches the person in the transcript.
 */
export function routeOf(state: HandoffState, message: HistoryMessage, reason: HandoffReason | null, localConversationId: string): { route: TurnRoute; input: HandoffInput | null } {
  if (state.phase !== 'off') return { route: 'forwarded', input: { type: 'forward', message: outgoingOf(message) } };
  if (!reason) return { route: 'assistant', input: null };
  return { route: 'forwarded', input: { type: 'trigger', reason, localConversationId } };
}
