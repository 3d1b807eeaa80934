import type { QueueResponse } from '../../src/protocol/agent-api.ts';
import { effectivePresence, type AgentRow } from '../agents/accounts.ts';
import type { Queryable } from '../store/types.ts';
import { SELECT_CONVERSATION as SELECT, toConversation } from './conversation-rows.ts';

/** The dashboard's queue: who waits (longest first, with reason and wait), what is mine, who is on. */
export async function queueFor(db: Queryable, agentId: string, now: Date): Promise<QueueResponse> {
  const pending = await db.query<Parameters<typeof toConversation>[0]>(
    `${SELECT} where c.state = 'pending' order by c.pending_since limit 500`,
  );
  const mine = await db.query<Parameters<typeof toConversation>[0]>(
    `${SELECT} where c.state = 'assigned' and c.agent_id = $1 order by c.updated_at desc limit 500`,
    [agentId],
  );
  const agents = await db.query<Pick<AgentRow, 'presence' | 'last_seen_at'>>(
    `select presence, last_seen_at from agents where presence <> 'offline'`,
  );
  const presence = agents.rows.map((row) => effectivePresence(row, now));
  return {
    pending: pending.rows.map((row) => {
      const conversation = toConversation(row);
      const since = row.pending_since ? new Date(row.pending_since).getTime() : now.getTime();
      return { ...conversation, waitMs: Math.max(0, now.getTime() - since) };
    }),
    mine: mine.rows.map(toConversation),
    agents: { online: presence.filter((p) => p === 'online').length, away: presence.filter((p) => p === 'away').length },
    now: now.toISOString(),
  };
}
