import type { RelayEvent } from '../../src/protocol/events.ts';
import type { Queryable } from '../store/types.ts';

/** NOTIFY channel announcing new log entries: payload `{"id":"<event id>","c":"<conversation id>"}`. */
export const EVENTS_CHANNEL = 'relay_events';

/**
 * Orders the writers of one conversation: taken first in every transaction that changes the
 * conversation or appends to its log, before anything else writes (an advisory lock assigns no
 * transaction id). Writers of different conversations never wait on each other.
 *
 * Event ids come from the writing transaction's id (`next_event_id()`, migration 008), assigned
 * after this lock: a later writer of the same conversation waited for the earlier one's commit,
 * so within a conversation ids follow commit order and "after id N" is exact. Across
 * conversations ids can commit out of order; the global feed (`readFeed`) reads only below the
 * watermark, where every transaction has ended. It also settles races like two agents claiming.
 */
export async function lockConversation(tx: Queryable, conversationId: string): Promise<void> {
  await tx.query(`select pg_advisory_xact_lock(hashtextextended('relay_conversation:' || current_schema() || ':' || $1, 0))`, [conversationId]);
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

/**
 * Appends one entry and announces it on commit. Call `lockConversation` first in the same
 * transaction (or create the conversation in it): its id (the column default) follows from the
 * transaction id, which must be assigned after that lock.
 */
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

/** One conversation's entries after `afterId`, oldest first (exact: see `lockConversation`). */
export async function readEvents(db: Queryable, options: { conversationId: string; afterId: string; limit: number }): Promise<RelayEvent[]> {
  const { rows } = await db.query<EventRow>(
    `select ${COLUMNS} from conversation_events where conversation_id = $1 and id > $2 order by conversation_events.id limit $3`,
    [options.conversationId, options.afterId, options.limit],
  );
  return rows.map(toEvent);
}

/**
 * Every conversation's entries after `afterId` (the agent dashboard), oldest first, but only
 * below the watermark: ids there belong to ended transactions, so none can still appear behind
 * the cursor. `held` is true when committed entries wait above the watermark (a transaction
 * with a smaller id, anywhere in the database cluster, is still running): read again shortly,
 * no notification will say when it ends.
 */
export async function readFeed(db: Queryable, options: { afterId: string; limit: number }): Promise<{ events: RelayEvent[]; held: boolean }> {
  const mark = await feedWatermark(db);
  const { rows } = await db.query<EventRow>(
    `select ${COLUMNS} from conversation_events where id > $1 and id < $2 order by conversation_events.id limit $3`,
    [options.afterId, mark.watermark, options.limit],
  );
  return { events: rows.map(toEvent), held: mark.held };
}

/** Where a feed that starts now begins: below the watermark, so nothing still in flight is skipped. */
export async function feedStart(db: Queryable): Promise<string> {
  const { watermark } = await feedWatermark(db);
  return (BigInt(watermark) - 1n).toString();
}

async function feedWatermark(db: Queryable): Promise<{ watermark: string; held: boolean }> {
  // One statement, one snapshot: the watermark and whether anything committed lies at or above it.
  const { rows } = await db.query<{ watermark: string; held: boolean }>(
    `select w.mark::text as watermark, exists (select 1 from conversation_events where id >= w.mark) as held
     from (select event_log_watermark() as mark) w`,
  );
  return rows[0]!;
}

/**
 * Keeps new event ids above every stored one. Needed once after a dump is restored into a
 * cluster whose transaction ids are lower than the source's (ids follow transaction ids);
 * otherwise it changes nothing. Run at startup, before this process writes.
 */
export async function ensureEventIdsAhead(db: Queryable): Promise<boolean> {
  const { rowCount } = await db.query(
    `update event_id_base set base = m.top + 1 - pg_current_xact_id()::text::bigint * 1000
     from (select max(id) as top from conversation_events) m
     where m.top >= event_id_base.base + pg_current_xact_id()::text::bigint * 1000`,
  );
  return rowCount > 0;
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
