import { describe, expect, it } from 'vitest';
import type { Agent } from '../protocol/agent-api.ts';
import type { RelayEvent } from '../protocol/events.ts';
import { timeline } from './timeline.ts';
import { formatWait } from './wait-time.ts';
import { titleWith } from './alert.ts';

const me: Agent = { id: '11111111-1111-4111-8111-111111111111', email: 'alex@example.com', name: 'Alex', presence: 'online' };
const sam = { id: '22222222-2222-4222-8222-222222222222', name: 'Sam' };
const conversationId = '6f1c2b7e-3d4a-4f5b-9c8d-1e2f3a4b5c6d';
const at = '2025-01-01T12:00:00.000Z';
let n = 0;
const base = () => ({ id: String((n += 1)), conversationId, at });

describe('the timeline an agent reads', () => {
  it('shows the handoff with its reason and transcript, then messages and what happened', () => {
    const events: RelayEvent[] = [
      {
        ...base(),
        type: 'handoff',
        data: {
          reason: { kind: 'explicit_request', detail: 'talk to a human agent' },
          summary: 'Why: …',
          transcript: [
            { role: 'user', text: 'Where is my parcel?' },
            { role: 'assistant', text: 'Let me check.' },
          ],
        },
      },
      { ...base(), type: 'state', data: { from: 'bot', to: 'pending', cause: 'handoff' } },
      { ...base(), type: 'state', data: { from: 'pending', to: 'assigned', cause: 'claim', agent: { id: me.id, name: me.name } } },
      { ...base(), type: 'message', data: { author: 'agent', text: 'Hi, this is Alex.', agent: { id: me.id, name: me.name } } },
      { ...base(), type: 'message', data: { author: 'user', text: 'Hello Alex!' } },
      { ...base(), type: 'state', data: { from: 'assigned', to: 'bot', cause: 'return', agent: { id: me.id, name: me.name }, transcript: [] } },
    ];
    const items = timeline(events, me);
    expect(items.map((i) => (i.kind === 'message' ? `${i.name}: ${i.text}` : i.text))).toEqual([
      'Asked for a person — Asked for a person: talk to a human agent',
      'You joined the conversation.',
      'You: Hi, this is Alex.',
      'Caller: Hello Alex!',
      'You returned the conversation to the assistant.',
    ]);
    const handoff = items[0];
    expect(handoff?.kind === 'handoff' && handoff.transcript.map((i) => (i.kind === 'message' ? `${i.speaker}: ${i.text}` : ''))).toEqual([
      'caller: Where is my parcel?',
      'assistant: Let me check.',
    ]);
    expect(items[2]).toMatchObject({ kind: 'message', mine: true, speaker: 'agent' });
  });

  it('names other agents, expiry and a caller who left', () => {
    const items = timeline(
      [
        { ...base(), type: 'state', data: { from: 'pending', to: 'assigned', cause: 'claim', agent: sam } },
        { ...base(), type: 'message', data: { author: 'agent', text: 'Hello', agent: sam } },
        { ...base(), type: 'state', data: { from: 'pending', to: 'expired', cause: 'sla' } },
        { ...base(), type: 'state', data: { from: 'expired', to: 'bot', cause: 'sla' } },
        { ...base(), type: 'state', data: { from: 'pending', to: 'bot', cause: 'cancel' } },
      ],
      me,
    );
    expect(items.map((i) => (i.kind === 'message' ? `${i.name}: ${i.text}` : i.text))).toEqual([
      'Sam joined the conversation.',
      'Sam (agent): Hello',
      'Nobody claimed it in time.',
      'The caller is back with the assistant.',
      'The caller went back to the assistant.',
    ]);
  });
});

describe('small dashboard helpers', () => {
  it('format wait times', () => {
    expect(formatWait(4_200)).toBe('4 s');
    expect(formatWait(185_000)).toBe('3 min 05 s');
    expect(formatWait(3_720_000)).toBe('1 h 02 min');
    expect(formatWait(-5)).toBe('0 s');
  });

  it('count unseen handoffs in the title', () => {
    expect(titleWith('Hearth agents', 0)).toBe('Hearth agents');
    expect(titleWith('Hearth agents', 2)).toBe('(2) New handoff · Hearth agents');
  });
});
