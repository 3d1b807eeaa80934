import { describe, expect, it } from 'vitest';
import { CreateHandoffRequestSchema } from '../protocol/device-api.ts';
import type { HistoryMessage } from '../voice/history.ts';
import { summarize, toTranscript } from './transcript.ts';

let n = 0;
function message(role: HistoryMessage['role'], content: string, extra: Partial<HistoryMessage> = {}): HistoryMessage {
  n += 1;
  return { id: `m${n}`, turnId: `t${n}`, role, content, createdAt: Date.UTC(2025, 0, 1, 12, 0, n), ...extra };
}

describe('the transcript sent with a handoff', () => {
  it('maps users, the assistant and earlier agents, with times, and skips empty messages', () => {
    const transcript = toTranscript([
      message('user', 'Where is my order?'),
      message('assistant', 'Let me check.'),
      message('assistant', '   '),
      message('assistant', 'Hi, I am Alex.', { agentName: 'Alex' }),
    ]);
    expect(transcript.map(({ role, text, name }) => ({ role, text, name }))).toEqual([
      { role: 'user', text: 'Where is my order?', name: undefined },
      { role: 'assistant', text: 'Let me check.', name: undefined },
      { role: 'agent', text: 'Hi, I am Alex.', name: 'Alex' },
    ]);
    expect(transcript[0]?.at).toMatch(/^2025-01-01T12:00:\d\d\.000Z$/);
  });

  it('fits the relay’s limits however long the conversation', () => {
    const long = Array.from({ length: 300 }, (_, i) => message(i % 2 ? 'assistant' : 'user', 'x'.repeat(5000)));
    const request = { reason: { kind: 'explicit_request' as const }, summary: summarize(long, { kind: 'explicit_request' }), transcript: toTranscript(long) };
    expect(CreateHandoffRequestSchema.safeParse(request).success).toBe(true);
    expect(request.transcript).toHaveLength(200);
  });
});

describe('the summary', () => {
  it('gives the reason, the first request and the latest exchanges', () => {
    const messages = [
      message('user', 'My parcel has not arrived.'),
      message('assistant', 'I am sorry to hear that. What is the order number?'),
      message('user', '12345'),
      message('assistant', "I can't see that order."),
      message('user', 'I want to talk to a human agent, please.'),
    ];
    expect(summarize(messages, { kind: 'explicit_request', detail: 'talk to a human agent' })).toBe(
      [
        'Why: Asked for a person: talk to a human agent.',
        'First request: “My parcel has not arrived.”',
        'Latest:',
        'Assistant: “I am sorry to hear that. What is the order number?”',
        'Caller: “12345”',
        'Assistant: “I can\'t see that order.”',
        'Caller: “I want to talk to a human agent, please.”',
      ].join('\n'),
    );
  });

  it('shortens long quotes and says when nothing was said', () => {
    const summary = summarize([message('user', 'word '.repeat(200))], { kind: 'keyword', detail: 'refund' });
    expect(summary).toMatch(/^Why: Keyword: refund\.\nFirst request: “(word ){47}word…”$/u);
    expect(summarize([], { kind: 'other' })).toBe('Why: Other.\nNothing was said before the handoff.');
  });
});
