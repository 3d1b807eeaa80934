import type { TranscriptEntry } from '../../src/protocol/conversation.ts';
import type { RelayEvent } from '../../src/protocol/events.ts';
import type { Queryable } from '../store/types.ts';
import { readEvents } from './event-log.ts';

/** What the assistant needs to continue: the latest handoff's transcript, then every message since. */
export function transcriptOf(events: RelayEvent[]): TranscriptEntry[] {
  let transcript: TranscriptEntry[] = [];
  for (const event of events) {
    if (event.type === 'handoff') transcript = [...event.data.transcript];
    if (event.type === 'message') {
      transcript.push(
        event.data.author === 'agent'
          ? { role: 'agent', text: event.data.text, name: event.data.agent?.name ?? 'Agent', at: event.at }
          : { role: 'user', text: event.data.text, at: event.at },
      );
    }
  }
  return transcript;
}

export async function conversationEvents(db: Queryable, conversationId: string): Promise<RelayEvent[]> {
  const events: RelayEvent[] = [];
  for (let after = '0'; ; ) {
    const page = await readEvents(db, { conversationId, afterId: after, limit: 1000 });
    events.push(...page);
    if (page.length < 1000) return events;
    after = page[page.length - 1]!.id;
  }
}
