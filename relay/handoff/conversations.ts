import { randomUUID } from 'node:crypto';
import type { AgentRef, Conversation, ConversationState, HandoffReason, TranscriptEntry } from '../../src/protocol/conversation.ts';
import type { RelayEvent } from '../../src/protocol/events.ts';
import { HttpError } from '../http/errors.ts';
import { hashToken, newToken, sameHash } from '../http/tokens.ts';
import type { Db, Queryable } from '../store/types.ts';
import { appendEvent, findByClientMessageId, lockConversation } from './event-log.ts';
import { isConversationId, loadRow, notFound, toConversation, type ConversationRow } from './conversation-rows.ts';
import { conversationEvents, transcriptOf } from './transcript.ts';
import { canTransition, type StateCause } from './transitions.ts';

export { conversationEvents, transcriptOf };

/** What the handoff operations need: the database, the one clock, and the SLA. */
export interface HandoffContext {
  db: Db;
  now: () => Date;
  slaMs: number;
}

export async function getConversation(db: Queryable, id: string): Promise<Conversation> {
  return toConversation(await loadRow(db, id, false));
}

/** Checks a device's bearer token against the conversation's; answers 404 when it does not match. */
export async function authorizeDevice(db: Queryable, id: string, token: string): Promise<Conversation> {
  const row = await loadRow(db, id, false);
  if (!sameHash(row.token_hash, hashToken(token))) throw notFound();
  return toConversation(row);
}

/**
 * Runs `fn` on the locked conversation inside one transaction that holds the conversation's
 * lock (taken first, see `lockConversation`). Every write to a conversation goes through here,
 * so each state change and its log entries are one atomic step, concurrent steps on one
 * conversation see each other's result, and steps on different conversations run in parallel.
 */
async function change<T>(ctx: HandoffContext, id: string, fn: (row: ConversationRow, tx: Queryable, now: Date) => Promise<T>): Promise<T> {
  if (!isConversationId(id)) throw notFound();
  return ctx.db.transaction(async (tx) => {
    await lockConversation(tx, id);
    const row = await loadRow(tx, id, true);
    return fn(row, tx, ctx.now());
  });
}

function refuse(row: ConversationRow, cause: StateCause): HttpError {
  if (cause === 'claim' && row.state === 'assigned') {
    return new HttpError(409, 'already_claimed', `Another agent (${row.agent_name ?? 'unknown'}) already claimed this conversation.`);
  }
  const what: Record<StateCause, string> = {
    handoff: 'ask for an agent', claim: 'claim', resolve: 'resolve', return: 'return to the assistant', sla: 'expire', cancel: 'cancel',
  };
  return new HttpError(409, 'invalid_state', `Cannot ${what[cause]} a conversation that is ${row.state}.`);
}

async function setState(
  tx: Queryable,
  row: ConversationRow,
  to: ConversationState,
  now: Date,
  extra: { agentId?: string | null; slaDeadline?: Date | null } = {},
): Promise<void> {
  const pending = to === 'pending';
  await tx.query(
    `update conversations set state = $2, updated_at = $3, agent_id = $4,
       pending_since = $5, sla_deadline = $6 where id = $1`,
    [row.id, to, now, extra.agentId === undefined ? row.agent_id : extra.agentId, pending ? now : null, pending ? (extra.slaDeadline ?? null) : null],
  );
}

export interface HandoffInput {
  reason: HandoffReason;
  summary: string;
  transcript: TranscriptEntry[];
}

/** A device asks for a person for the first time: a new conversation, waiting for an agent. */
export async function createHandoff(ctx: HandoffContext, input: HandoffInput): Promise<{ conversation: Conversation; token: string }> {
  const id = randomUUID();
  const token = newToken();
  await ctx.db.transaction(async (tx) => {
    // A new conversation: nobody else can write to it before this commits; locked all the same.
    await lockConversation(tx, id);
    const now = ctx.now();
    await tx.query(
      `insert into conversations (id, token_hash, state, reason, summary, created_at, updated_at)
       values ($1, $2, 'bot', $3, $4, $5, $5)`,
      [id, hashToken(token), JSON.stringify(input.reason), input.summary, now],
    );
    const row = await loadRow(tx, id, true);
    await enterPending(ctx, tx, row, input, now);
  });
  return { conversation: await getConversation(ctx.db, id), token };
}

async function enterPending(ctx: HandoffContext, tx: Queryable, row: ConversationRow, input: HandoffInput, now: Date): Promise<void> {
  await tx.query('update conversations set reason = $2, summary = $3 where id = $1', [row.id, JSON.stringify(input.reason), input.summary]);
  await setState(tx, row, 'pending', now, { agentId: null, slaDeadline: new Date(now.getTime() + ctx.slaMs) });
  await appendEvent(tx, { conversationId: row.id, actor: 'device', at: now, type: 'handoff', data: input });
  await appendEvent(tx, { conversationId: row.id, actor: 'device', at: now, type: 'state', data: { from: row.state, to: 'pending', cause: 'handoff' } });
}

/** The device asks for a person again after the conversation went back to the assistant. */
export async function requestAgain(ctx: HandoffContext, id: string, input: HandoffInput): Promise<Conversation> {
  await change(ctx, id, async (row, tx, now) => {
    if (!canTransition(row.state, 'handoff')) throw refuse(row, 'handoff');
    await enterPending(ctx, tx, row, input, now);
  });
  return getConversation(ctx.db, id);
}

/**
 * Appends a message. A repeated `clientMessageId` from the same author returns the first
 * message (`created: false`) instead of adding a duplicate: clients may retry freely.
 */
async function addMessage(
  ctx: HandoffContext,
  id: string,
  author: { actor: string; agent?: AgentRef },
  text: string,
  clientMessageId: string | undefined,
  allowed: (row: ConversationRow) => HttpError | null,
): Promise<{ event: RelayEvent; created: boolean }> {
  return change(ctx, id, async (row, tx, now) => {
    if (clientMessageId) {
      const existing = await findByClientMessageId(tx, row.id, author.actor, clientMessageId);
      if (existing) return { event: existing, created: false };
    }
    const refusal = allowed(row);
    if (refusal) throw refusal;
    const data = {
      author: author.agent ? ('agent' as const) : ('user' as const),
      text,
      ...(author.agent ? { agent: author.agent } : {}),
      ...(clientMessageId ? { clientMessageId } : {}),
    };
    const event = await appendEvent(tx, { conversationId: row.id, actor: author.actor, at: now, clientMessageId, type: 'message', data });
    await tx.query('update conversations set updated_at = $2 where id = $1', [row.id, now]);
    return { event, created: true };
  });
}

/** The caller's words (transcribed on the device) while waiting for or talking to an agent. */
export function addUserMessage(ctx: HandoffContext, id: string, text: string, clientMessageId?: string) {
  return addMessage(ctx, id, { actor: 'device' }, text, clientMessageId, (row) =>
    row.state === 'pending' || row.state === 'assigned'
      ? null
      : new HttpError(409, 'invalid_state', `The conversation is ${row.state}: messages go to the assistant on the device.`),
  );
}

function agentActor(agent: AgentRef): string {
  return `agent:${agent.id}`;
}

function requireAssignedTo(row: ConversationRow, agent: AgentRef): HttpError | null {
  if (row.state !== 'assigned') return new HttpError(409, 'invalid_state', `The conversation is ${row.state}, not assigned.`);
  if (row.agent_id !== agent.id) return new HttpError(403, 'not_your_conversation', 'Another agent is handling this conversation.');
  return null;
}

export function addAgentMessage(ctx: HandoffContext, id: string, agent: AgentRef, text: string, clientMessageId?: string) {
  return addMessage(ctx, id, { actor: agentActor(agent), agent }, text, clientMessageId, (row) => requireAssignedTo(row, agent));
}

/** Exactly one of several agents claiming at once wins; the others get 409 `already_claimed`. */
export async function claim(ctx: HandoffContext, id: string, agent: AgentRef): Promise<Conversation> {
  await change(ctx, id, async (row, tx, now) => {
    if (row.state === 'assigned' && row.agent_id === agent.id) return; // a retried claim is not an error
    if (!canTransition(row.state, 'claim')) throw refuse(row, 'claim');
    await setState(tx, row, 'assigned', now, { agentId: agent.id });
    await appendEvent(tx, { conversationId: row.id, actor: agentActor(agent), at: now, type: 'state', data: { from: row.state, to: 'assigned', cause: 'claim', agent } });
  });
  return getConversation(ctx.db, id);
}

export async function resolve(ctx: HandoffContext, id: string, agent: AgentRef): Promise<Conversation> {
  await change(ctx, id, async (row, tx, now) => {
    const refusal = requireAssignedTo(row, agent);
    if (refusal) throw refusal;
    await setState(tx, row, 'resolved', now);
    await appendEvent(tx, { conversationId: row.id, actor: agentActor(agent), at: now, type: 'state', data: { from: row.state, to: 'resolved', cause: 'resolve', agent } });
  });
  return getConversation(ctx.db, id);
}

/** The agent hands the conversation back to the assistant, which continues with the full transcript. */
export async function returnToBot(ctx: HandoffContext, id: string, agent: AgentRef): Promise<Conversation> {
  await change(ctx, id, async (row, tx, now) => {
    const refusal = requireAssignedTo(row, agent);
    if (refusal) throw refusal;
    const transcript = transcriptOf(await conversationEvents(tx, row.id));
    await setState(tx, row, 'bot', now);
    await appendEvent(tx, { conversationId: row.id, actor: agentActor(agent), at: now, type: 'state', data: { from: row.state, to: 'bot', cause: 'return', agent, transcript } });
  });
  return getConversation(ctx.db, id);
}

/** The caller no longer wants a person (or hung up): back to the assistant. */
export async function cancel(ctx: HandoffContext, id: string): Promise<Conversation> {
  await change(ctx, id, async (row, tx, now) => {
    if (!canTransition(row.state, 'cancel')) throw refuse(row, 'cancel');
    await setState(tx, row, 'bot', now);
    await appendEvent(tx, { conversationId: row.id, actor: 'device', at: now, type: 'state', data: { from: row.state, to: 'bot', cause: 'cancel' } });
  });
  return getConversation(ctx.db, id);
}

/**
 * Sends every handoff whose SLA has passed back to the assistant (`pending -> expired -> bot`).
 * Safe to run from several relays at once: each conversation is re-checked under the lock.
 */
export async function expireOverdue(ctx: HandoffContext): Promise<number> {
  const { rows } = await ctx.db.query<{ id: string }>(
    `select id from conversations where state = 'pending' and sla_deadline <= $1 order by sla_deadline limit 100`,
    [ctx.now()],
  );
  let expired = 0;
  for (const { id } of rows) {
    await change(ctx, id, async (row, tx, now) => {
      if (row.state !== 'pending' || !row.sla_deadline || new Date(row.sla_deadline) > now) return;
      await setState(tx, row, 'bot', now);
      await appendEvent(tx, { conversationId: row.id, actor: 'system', at: now, type: 'state', data: { from: 'pending', to: 'expired', cause: 'sla' } });
      await appendEvent(tx, { conversationId: row.id, actor: 'system', at: now, type: 'state', data: { from: 'expired', to: 'bot', cause: 'sla' } });
      expired++;
    });
  }
  return expired;
}
