import type { Queryable } from '../store/types.ts';
import { hashToken, newToken } from '../http/tokens.ts';
import type { AgentRow } from './accounts.ts';

/** A working day; after that the agent logs in again. */
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;

export async function createSession(db: Queryable, agentId: string, now: Date): Promise<{ token: string; expiresAt: Date }> {
  const token = newToken();
  const expiresAt = new Date(now.getTime() + SESSION_TTL_MS);
  await db.query('delete from agent_sessions where expires_at < $1', [now]);
  await db.query('insert into agent_sessions (token_hash, agent_id, created_at, expires_at) values ($1, $2, $3, $4)', [
    hashToken(token),
    agentId,
    now,
    expiresAt,
  ]);
  return { token, expiresAt };
}

export async function agentForSession(db: Queryable, token: string, now: Date): Promise<AgentRow | null> {
  const { rows } = await db.query<AgentRow>(
    `select a.* from agent_sessions s join agents a on a.id = s.agent_id
     where s.token_hash = $1 and s.expires_at > $2`,
    [hashToken(token), now],
  );
  return rows[0] ?? null;
}

export async function deleteSession(db: Queryable, token: string): Promise<void> {
  await db.query('delete from agent_sessions where token_hash = $1', [hashToken(token)]);
}
