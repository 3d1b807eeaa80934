import type { Conversation, ConversationState, HandoffReason } from '../../src/protocol/conversation.ts';
import { HttpError } from '../http/errors.ts';
import type { Queryable } from '../store/types.ts';

// A conversation row as stored, and its public shape.

export interface ConversationRow {
  id: string;
  token_hash: string;
  state: ConversationState;
  reason: HandoffReason;
  summary: string;
  agent_id: string | null;
  agent_name: string | null;
  created_at: Date;
  updated_at: Date;
  pending_since: Date | null;
  sla_deadline: Date | null;
}

export const SELECT_CONVERSATION = `select c.*, a.name as agent_name from conversations c left join agents a on a.id = c.agent_id`;
const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

export function toConversation(row: ConversationRow): Conversation {
  return {
    id: row.id,
    state: row.state,
    reason: row.reason,
    summary: row.summary,
    agent: row.agent_id ? { id: row.agent_id, name: row.agent_name ?? '' } : null,
    createdAt: iso(row.created_at)!,
    updatedAt: iso(row.updated_at)!,
    pendingSince: iso(row.pending_since),
    slaDeadline: iso(row.sla_deadline),
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Checked before any query: a malformed id must be a 404, not a database cast error. */
export function isConversationId(id: string): boolean {
  return UUID.test(id);
}

/** The same answer for "no such conversation" and "not yours": nothing to learn by probing ids. */
export function notFound(): HttpError {
  return new HttpError(404, 'not_found', 'No such conversation (or not one this token or agent may use).');
}

export async function loadRow(db: Queryable, id: string, forUpdate: boolean): Promise<ConversationRow> {
  if (!UUID.test(id)) throw notFound();
  const { rows } = await db.query<ConversationRow>(`${SELECT_CONVERSATION} where c.id = $1${forUpdate ? ' for update of c' : ''}`, [id]);
  if (!rows[0]) throw notFound();
  return rows[0];
}
