import type { HistoryMessage } from '../voice/history.ts';

/**
 * A stored message is the voice loop's history message: what the user said and what they heard.
 * During a handoff a person's replies are assistant messages carrying `agentName`, so the
 * assistant continues with the whole conversation when it gets it back.
 */
export type Message = HistoryMessage & { agentName?: string };

export interface Conversation {
  id: string;
  title: string;
  createdAt: number;
  updatedAt: number;
  messages: Message[];
}

export function titleFrom(text: string): string {
  const clean = text.trim().replace(/\s+/g, ' ');
  return clean.length > 48 ? `${clean.slice(0, 47)}…` : clean || 'New conversation';
}
