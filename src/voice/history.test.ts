import { describe, expect, it } from 'vitest';
import { ConversationHistory, type HistoryMessage } from './history.ts';

let n = 0;
function message(role: HistoryMessage['role'], content: string): HistoryMessage {
  n += 1;
  return { id: `m${n}`, turnId: `t${n}`, role, content, createdAt: n };
}

describe('ConversationHistory', () => {
  it('makes a new array on every change', () => {
    const history = new ConversationHistory();
    const before = history.messages;
    history.append(message('user', 'Hi'));
    expect(history.messages).not.toBe(before);
    expect(history.messages).toHaveLength(1);
    history.clear();
    expect(history.messages).toEqual([]);
  });

  it('builds the prompt: system first, then the messages', () => {
    const history = new ConversationHistory([message('user', 'Hi'), message('assistant', 'Hello!'), message('user', 'Weather?')]);
    expect(history.toChatMessages(' Be brief. ')).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Hi' },
      { role: 'assistant', content: 'Hello!' },
      { role: 'user', content: 'Weather?' },
    ]);
  });

  it('leaves out an empty system prompt and empty messages', () => {
    const history = new ConversationHistory([message('user', 'Hi'), message('assistant', '  ')]);
    expect(history.toChatMessages('')).toEqual([{ role: 'user', content: 'Hi' }]);
  });

  it('merges consecutive messages of one role', () => {
    const history = new ConversationHistory([message('user', 'Book a table'), message('user', 'for two.')]);
    expect(history.toChatMessages('S')).toEqual([
      { role: 'system', content: 'S' },
      { role: 'user', content: 'Book a table for two.' },
    ]);
  });

  it('keeps the newest messages within the budget and starts with a user message', () => {
    const history = new ConversationHistory([
      message('user', 'u'.repeat(50)),
      message('assistant', 'a'.repeat(50)),
      message('user', 'v'.repeat(20)),
      message('assistant', 'b'.repeat(20)),
      message('user', 'w'.repeat(20)),
    ]);
    const prompt = history.toChatMessages('S', 70);
    expect(prompt.map((m) => m.content[0])).toEqual(['S', 'v', 'b', 'w']);
    const tighter = history.toChatMessages('S', 45);
    expect(tighter.map((m) => m.content[0])).toEqual(['S', 'w']);
  });

  it('always sends the newest message, however long', () => {
    const history = new ConversationHistory([message('user', 'x'.repeat(500))]);
    expect(history.toChatMessages('', 10)).toHaveLength(1);
  });
});
