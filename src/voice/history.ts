// The conversation as the user experienced it: what they said, and what they heard the assistant
// say. Messages are immutable and every change makes a new array, so a store can hold the array
// as is and React sees a change by reference.
import type { ChatMessage } from '../engines/types.ts';

export interface HistoryMessage {
  id: string;
  turnId: string;
  role: 'user' | 'assistant';
  content: string;
  createdAt: number;
  /** User: spoken or typed. */
  source?: 'voice' | 'text';
  /** User: the utterance was longer than the cap and only its beginning was transcribed. */
  utteranceCapped?: boolean;
  /** Assistant: the user cut the reply short; `content` is the part that was heard. */
  interrupted?: boolean;
  /** Assistant: the reply stopped at the token limit for the response mode. */
  capped?: boolean;
  /** Assistant: generation failed part-way; `content` is what was produced before the error. */
  failed?: boolean;
  /**
   * Assistant: written by this person (a human agent during a handoff), not generated. The
   * prompt keeps it as an assistant turn, so the assistant continues with the whole conversation.
   */
  agentName?: string;
}

export class ConversationHistory {
  private list: readonly HistoryMessage[];

  constructor(initial: readonly HistoryMessage[] = []) {
    this.list = [...initial];
  }

  get messages(): readonly HistoryMessage[] {
    return this.list;
  }

  append(message: HistoryMessage): void {
    this.list = [...this.list, message];
  }

  replace(messages: readonly HistoryMessage[]): void {
    this.list = [...messages];
  }

  clear(): void {
    this.list = [];
  }

  /**
   * The prompt for the LLM: the system prompt, then the newest messages that fit `budgetChars`.
   * Consecutive messages of one role are merged (a user who spoke twice before an answer, or an
   * answer the user cut off before hearing anything), because chat templates expect turns to
   * alternate, and the prompt starts with a user message for the same reason.
   */
  toChatMessages(systemPrompt: string, budgetChars = Infinity): ChatMessage[] {
    const merged: ChatMessage[] = [];
    for (const message of this.list) {
      const content = message.content.trim();
      if (content === '') continue;
      const last = merged.at(-1);
      if (last && last.role === message.role) last.content = `${last.content} ${content}`;
      else merged.push({ role: message.role, content });
    }

    let used = 0;
    let first = merged.length;
    while (first > 0) {
      const candidate = merged[first - 1] as ChatMessage;
      // The newest message is always sent, however long.
      if (first < merged.length && used + candidate.content.length > budgetChars) break;
      used += candidate.content.length;
      first -= 1;
    }
    while (first < merged.length && merged[first]?.role !== 'user') first += 1;

    const system = systemPrompt.trim();
    return [...(system === '' ? [] : [{ role: 'system' as const, content: system }]), ...merged.slice(first)];
  }
}
