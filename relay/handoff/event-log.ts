import type { RelayEvent } from '../../src/protocol/events.ts';
import type { Queryable } from '../store/types.ts';

/** NOTIFY channel announcing new log entries: payload `{"id":"<event id>","c":"<conversation id>"}`. */
export const EVENTS_CHANNEL = 'relay_events';

/**
 * Serialises writers of the event log (per schema). Taken first in every transaction that
 * appends, it makes ids commit in order: a reader that has seen id N can never later find
 * a smaller id appear, so "everything after Last-Event-ID" is exact. Handoff traffic is
 * small; one writer at a time costs nothing, and it also settles races like two claims.
 */
export async function lockEventLog(tx: Queryable): Promise<void> {
  await tx.query(`select pg_advisory_xact_lock(hashtext('relay_events:' || current_schema()))`);
}

interface EventRow {
  id: string;
  conversation_id: string;
  type: RelayEvent['type'];
  data: unknown;
  created_at: Date | string;
}

export function toEvent(row: EventRow): RelayEvent {
  return {
    id: row.id,
    conversationId: row.conversation_id,
    at: new Date(row.created_at).toISOString(),
    type: row.type,
    data: row.data,
  } as RelayEvent;
}

// `id` goes out as text (a bigint exceeds JS numbers); ORDER BY must name the column, not this alias.
const COLUMNS = 'id::text as id, conversation_id, type, data, created_at';

export type NewEvent = {
  [T in RelayEvent['type']]: { type: T; data: Extract<RelayEvent, { type: T }>['data'] };
}[RelayEvent['type']] & {
  conversationId: string;
  /** `device`, `system` or `agent:<id>`. */
  actor: string;
  clientMessageId?: string | undefined;
  at: Date;
};

/** Appends one entry (call `lockEventLog` first in the same transaction) and announces it on commit. */
export async function appendEvent(tx: Queryable, event: NewEvent): Promise<RelayEvent> {
  const { rows } = await tx.query<EventRow>(
    `insert into conversation_events (conversation_id, type, actor, data, client_message_id, created_at)
     values ($1, $2, $3, $4, $5, $6) returning ${COLUMNS}`,
    [event.conversationId, event.type, event.actor, JSON.stringify(event.data), event.clientMessageId ?? null, event.at],
  );
  const appended = toEvent(rows[0]!);
  await tx.notify(EVENTS_CHANNEL, JSON.stringify({ id: appended.id, c: appended.conversationId }));
  return appended;
}

/** Entries after `afterId`, oldest first; one conversation's, or all when `conversationId` is null. */
export async function readEvents(
  db: Queryable,
  options: { conversationId: string | null; afterId: string; limit: number },
): Promise<RelayEvent[]> {
  const { rows } = options.conversationId
    ? await db.query<EventRow>(
        `select ${COLUMNS} from conversation_events where conversation_id = $1 and id > $2 order by conversation_events.id limit $3`,
        [options.conversationId, options.afterId, options.limit],
      )
    : await db.query<EventRow>(`select ${COLUMNS} from conversation_events where id > $1 order by conversation_events.id limit $2`, [
        options.afterId,
        options.limit,
      ]);
  return rows.map(toEvent);
}

export async function latestEventId(db: Queryable): Promise<string> {
  const { rows } = await db.query<{ id: string }>('select coalesce(max(id), 0)::text as id from conversation_events');
  return rows[0]?.id ?? '0';
}

export async function findByClientMessageId(
  db: Queryable,
  conversationId: string,
  actor: string,
  clientMessageId: string,
): Promise<RelayEvent | null> {
  const { rows } = await db.query<EventRow>(
    `select ${COLUMNS} from conversation_events where conversation_id = $1 and actor = $2 and client_message_id = $3`,
    [conversationId, actor, clientMessageId],
  );
  return rows[0] ? toEvent(rows[0]) : null;
}
