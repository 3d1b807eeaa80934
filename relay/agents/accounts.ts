import { randomUUID } from 'node:crypto';
import type { Agent, Presence } from '../../src/protocol/agent-api.ts';
import type { Queryable } from '../store/types.ts';
import { generatePassword, hashPassword } from './password.ts';

export interface AgentRow {
  id: string;
  email: string;
  name: string;
  password_hash: string;
  presence: Presence;
  last_seen_at: Date | null;
}

/** Presence older than this many ms without a heartbeat counts as offline. */
export const PRESENCE_TTL_MS = 60_000;

export function effectivePresence(row: Pick<AgentRow, 'presence' | 'last_seen_at'>, now: Date): Presence {
  if (row.presence === 'offline' || !row.last_seen_at) return 'offline';
  return now.getTime() - new Date(row.last_seen_at).getTime() > PRESENCE_TTL_MS ? 'offline' : row.presence;
}

export function toAgent(row: AgentRow, now: Date): Agent {
  return { id: row.id, email: row.email, name: row.name, presence: effectivePresence(row, now) };
}

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

export async function findAgentByEmail(db: Queryable, email: string): Promise<AgentRow | null> {
  const { rows } = await db.query<AgentRow>('select * from agents where email = $1', [normaliseEmail(email)]);
  return rows[0] ?? null;
}

export class AgentExistsError extends Error {}

/** Creates an account with a generated password and returns that password: it is shown once, stored only hashed. */
export async function addAgent(
  db: Queryable,
  input: { email: string; name?: string | undefined },
  now: Date = new Date(),
): Promise<{ agent: Agent; password: string }> {
  const email = normaliseEmail(input.email);
  if (!/^[^\s@]+@[^\s@]+$/.test(email) || email.length > 254) throw new Error(`Not an email address: ${input.email}`);
  if (await findAgentByEmail(db, email)) throw new AgentExistsError(`An agent with email ${email} already exists.`);
  const password = generatePassword();
  const name = input.name?.trim() || email.split('@')[0]!;
  const id = randomUUID();
  await db.query(
    `insert into agents (id, email, name, password_hash, presence, created_at) values ($1, $2, $3, $4, 'offline', $5)`,
    [id, email, name, await hashPassword(password), now],
  );
  return { agent: { id, email, name, presence: 'offline' }, password };
}

/** Replaces an agent's password with a new generated one and ends their sessions. */
export async function resetPassword(db: Queryable, email: string): Promise<string> {
  const agent = await findAgentByEmail(db, email);
  if (!agent) throw new Error(`No agent with email ${normaliseEmail(email)}.`);
  const password = generatePassword();
  await db.query('update agents set password_hash = $2 where id = $1', [agent.id, await hashPassword(password)]);
  await db.query('delete from agent_sessions where agent_id = $1', [agent.id]);
  return password;
}

export async function listAgents(db: Queryable, now: Date = new Date()): Promise<Agent[]> {
  const { rows } = await db.query<AgentRow>('select * from agents order by email');
  return rows.map((row) => toAgent(row, now));
}
