import { hashToken, newToken } from '../http/tokens.ts';
import type { Queryable } from '../store/types.ts';
import { isConversationId } from './conversation-rows.ts';

// EventSource cannot send an Authorization header, so a browser's event stream must carry its
// credential in the URL, where access logs and proxies keep it. Instead of the conversation's
// long-lived token, the device asks for a ticket (`POST .../stream-ticket` with the token in the
// header) and opens `.../events?ticket=`: the ticket works once, for one conversation, within a
// minute, so a logged URL grants nothing. On reconnect the device asks for a new ticket and
// resumes with `?lastEventId=`. The token itself is refused in the stream's URL.

export const STREAM_TICKET_TTL_MS = 60_000;
const TICKET = /^[A-Za-z0-9_-]{43}$/;

/** A new ticket for `conversationId` (already authorised); expired ones are cleared on the way. */
export async function issueStreamTicket(db: Queryable, conversationId: string, now: Date): Promise<{ ticket: string; expiresAt: Date }> {
  const ticket = newToken();
  const expiresAt = new Date(now.getTime() + STREAM_TICKET_TTL_MS);
  await db.query(
    `delete from stream_tickets where ctid = any(array(select ctid from stream_tickets where expires_at < $1 limit 100))`,
    [now],
  );
  await db.query('insert into stream_tickets (ticket_hash, conversation_id, expires_at) values ($1, $2, $3)', [hashToken(ticket), conversationId, expiresAt]);
  return { ticket, expiresAt };
}

/** Consumes `ticket`: true when it was issued for `conversationId` and has not expired. Used or not, it is gone. */
export async function redeemStreamTicket(db: Queryable, conversationId: string, ticket: string, now: Date): Promise<boolean> {
  if (!TICKET.test(ticket) || !isConversationId(conversationId)) return false;
  const { rows } = await db.query<{ conversation_id: string; expires_at: Date | string }>(
    'delete from stream_tickets where ticket_hash = $1 returning conversation_id::text, expires_at',
    [hashToken(ticket)],
  );
  const row = rows[0];
  return !!row && row.conversation_id === conversationId.toLowerCase() && new Date(row.expires_at) > now;
}
