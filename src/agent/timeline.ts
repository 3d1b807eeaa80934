// A conversation's event log as the agent reads it: who said what, and what happened (claimed,
// returned, expired), in order. Pure, so the wording is tested without a browser.
import type { Agent } from '../protocol/agent-api.ts';
import type { TranscriptEntry } from '../protocol/conversation.ts';
import type { RelayEvent, StateEvent } from '../protocol/events.ts';
import { describeReason } from '../protocol/reason-label.ts';

export type Speaker = 'caller' | 'assistant' | 'agent';

export type TimelineItem =
  | { kind: 'message'; id: string; speaker: Speaker; name: string; text: string; at: string | undefined; mine: boolean }
  | { kind: 'note'; id: string; text: string; at: string }
  /** What the device sent with a (repeated) request for a person. */
  | { kind: 'handoff'; id: string; text: string; at: string; transcript: TimelineItem[]; first: boolean };

function entryItem(entry: TranscriptEntry, key: string): TimelineItem {
  const speaker: Speaker = entry.role === 'user' ? 'caller' : entry.role;
  const name = entry.role === 'user' ? 'Caller' : entry.role === 'agent' ? `${entry.name ?? 'Agent'} (agent)` : 'Assistant';
  return { kind: 'message', id: key, speaker, name, text: entry.text, at: entry.at, mine: false };
}

function who(agent: { id: string; name: string } | undefined, me: Agent): string {
  if (!agent) return 'An agent';
  return agent.id === me.id ? 'You' : agent.name;
}

function stateNote(data: StateEvent['data'], me: Agent): string | null {
  switch (data.cause) {
    case 'handoff':
      return null; // the handoff item says it
    case 'claim':
      return `${who(data.agent, me)} joined the conversation.`;
    case 'resolve':
      return `${who(data.agent, me)} resolved the conversation.`;
    case 'return':
      return `${who(data.agent, me)} returned the conversation to the assistant.`;
    case 'sla':
      return data.to === 'expired' ? 'Nobody claimed it in time.' : 'The caller is back with the assistant.';
    case 'cancel':
      return 'The caller went back to the assistant.';
  }
}

export function timeline(events: readonly RelayEvent[], me: Agent): TimelineItem[] {
  const items: TimelineItem[] = [];
  let handoffs = 0;
  for (const event of events) {
    switch (event.type) {
      case 'handoff':
        handoffs += 1;
        items.push({
          kind: 'handoff',
          id: event.id,
          text: `${handoffs === 1 ? 'Asked for a person' : 'Asked for a person again'} — ${describeReason(event.data.reason)}`,
          at: event.at,
          transcript: event.data.transcript.map((entry, i) => entryItem(entry, `${event.id}-${i}`)),
          first: handoffs === 1,
        });
        break;
      case 'message': {
        const agent = event.data.author === 'agent';
        items.push({
          kind: 'message',
          id: event.id,
          speaker: agent ? 'agent' : 'caller',
          name: agent ? (event.data.agent?.id === me.id ? 'You' : `${event.data.agent?.name ?? 'Agent'} (agent)`) : 'Caller',
          text: event.data.text,
          at: event.at,
          mine: agent && event.data.agent?.id === me.id,
        });
        break;
      }
      case 'state': {
        const text = stateNote(event.data, me);
        if (text) items.push({ kind: 'note', id: event.id, text, at: event.at });
        break;
      }
    }
  }
  return items;
}
