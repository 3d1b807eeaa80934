export type MessageRole = 'user' | 'assistant' | 'agent';

export interface Message {
  id: string;
  role: MessageRole;
  text: string;
  createdAt: number;
  /** The user talked over this reply: `text` holds only the words they heard. */
  interrupted?: boolean;
  /** The reply hit the response length cap. */
  capped?: boolean;
  /** The utterance was longer than the cap and was cut. */
  truncatedUtterance?: boolean;
  /** Shown for messages typed by a human agent during a handoff. */
  agentName?: string;
}

export interface Conversation {
  id: string;
  title: string;
  createdAt: number;
  updatedAt: number;
  messages: Message[];
}

export function newId(): string {
  return crypto.randomUUID();
}

export function titleFrom(text: string): string {
  const clean = text.trim().replace(/\s+/g, ' ');
  return clean.length > 48 ? `${clean.slice(0, 47)}…` : clean || 'New conversation';
}
