import type { HandoffReason } from '../protocol/conversation.ts';

/**
 * off: the assistant answers · connecting: asking the relay for a person · waiting: in the
 * queue, the caller's words go to the relay · with-agent: a person answers.
 */
export type HandoffPhase = 'off' | 'connecting' | 'waiting' | 'with-agent';

export interface HandoffStatus {
  phase: HandoffPhase;
  /** The person who joined (with-agent), else null. */
  agentName: string | null;
  /** Why the current handoff began. */
  reason: HandoffReason | null;
}

export const NO_HANDOFF: HandoffStatus = { phase: 'off', agentName: null, reason: null };

/** Something the caller should read as well as hear (the app shows it among its notices). */
export interface HandoffNotice {
  id: string;
  level: 'info' | 'warning' | 'error';
  text: string;
}
