import type { ConversationState } from '../../src/protocol/conversation.ts';
import type { STATE_CAUSES } from '../../src/protocol/events.ts';

export type StateCause = (typeof STATE_CAUSES)[number];

/**
 * The whole state machine in one table: which causes may move a conversation from which
 * states, and where to. `sla` passes through `expired` to `bot` (two logged events).
 */
export const TRANSITIONS: Record<StateCause, { from: readonly ConversationState[]; to: ConversationState }> = {
  handoff: { from: ['bot'], to: 'pending' },
  claim: { from: ['pending'], to: 'assigned' },
  resolve: { from: ['assigned'], to: 'resolved' },
  return: { from: ['assigned'], to: 'bot' },
  sla: { from: ['pending'], to: 'expired' },
  cancel: { from: ['pending', 'assigned'], to: 'bot' },
};

export function canTransition(from: ConversationState, cause: StateCause): boolean {
  return TRANSITIONS[cause].from.includes(from);
}
