import { describe, expect, it } from 'vitest';
import type { Agent, QueueResponse } from '../protocol/agent-api.ts';
import type { Conversation } from '../protocol/conversation.ts';
import type { ConversationWithEvents } from '../protocol/device-api.ts';
import type { RelayEvent } from '../protocol/events.ts';
import { RelayError } from '../net/relay-error.ts';
import type { AgentApi } from './agent-api.ts';
import { createDashboardStore } from './dashboard-store.ts';

const me: Agent = { id: '11111111-1111-4111-8111-111111111111', email: 'alex@example.com', name: 'Alex', presence: 'online' };
const A = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa';
const B = 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb';
const at = '2025-01-01T12:00:00.000Z';

function conversation(id: string, state: Conversation['state'] = 'pending'): Conversation {
  return { id, state, reason: { kind: 'keyword', detail: 'refund' }, summary: 's', agent: null, createdAt: at, updatedAt: at, pendingSince: at, slaDeadline: at };
}

let n = 0;
const message = (conversationId: string, text: string, author: 'user' | 'agent' = 'user', id = String((n += 1))): RelayEvent => ({
  id,
  conversationId,
  at,
  type: 'message',
  data: { author, text },
});

class FakeApi implements Partial<AgentApi> {
  queueCalls = 0;
  conversations = new Map<string, ConversationWithEvents>();
  claimError: RelayError | null = null;
  queueError: RelayError | null = null;
  mine: Conversation[] = [];
  gate: Promise<void> | null = null;

  async queue(): Promise<QueueResponse> {
    this.queueCalls += 1;
    if (this.gate) await this.gate;
    if (this.queueError) throw this.queueError;
    return { pending: [{ ...conversation(A), waitMs: 1000 }], mine: this.mine, agents: { online: 1, away: 0 }, now: at };
  }
  async conversation(id: string): Promise<ConversationWithEvents> {
    return structuredClone(this.conversations.get(id) ?? { conversation: conversation(id), events: [] });
  }
  async claim(id: string): Promise<Conversation> {
    if (this.claimError) throw this.claimError;
    return conversation(id, 'assigned');
  }
}

function setup() {
  const api = new FakeApi();
  const handoffs: RelayEvent[] = [];
  const store = createDashboardStore({ api: api as unknown as AgentApi, me, onNewHandoff: (event) => handoffs.push(event) });
  return { api, store, handoffs, state: () => store.getState() };
}

const settle = async () => {
  for (let i = 0; i < 5; i += 1) await new Promise((resolve) => setTimeout(resolve, 0));
};

describe('the dashboard state', () => {
  it('a new handoff alerts and refreshes the queue', async () => {
    const t = setup();
    t.state().receive({ id: '1', conversationId: A, at, type: 'handoff', data: { reason: { kind: 'explicit_request' }, summary: '', transcript: [] } });
    await settle();
    expect(t.handoffs).toHaveLength(1);
    expect(t.state().queue?.pending.map((c) => c.id)).toEqual([A]);
  });

  it('a burst of events costs at most one more queue request', async () => {
    const t = setup();
    let open: () => void = () => {};
    t.api.gate = new Promise((resolve) => (open = resolve));
    for (let i = 0; i < 5; i += 1) t.state().receive({ id: String(10 + i), conversationId: A, at, type: 'state', data: { from: 'bot', to: 'pending', cause: 'handoff' } });
    open();
    await settle();
    expect(t.api.queueCalls).toBe(2);
  });

  it('the open conversation follows the stream, each event once', async () => {
    const t = setup();
    t.api.conversations.set(A, { conversation: conversation(A, 'assigned'), events: [message(A, 'first', 'user', '5')] });
    await t.state().select(A);
    t.state().receive(message(A, 'second', 'user', '6'));
    t.state().receive(message(A, 'second', 'user', '6'));
    t.state().receive(message(B, 'elsewhere', 'user', '7'));
    expect(t.state().open?.events.map((e) => e.id)).toEqual(['5', '6']);
  });

  it('events streamed while the conversation loads are kept', async () => {
    const t = setup();
    t.api.conversations.set(A, { conversation: conversation(A), events: [message(A, 'one', 'user', '20')] });
    // The relay answers with the log as it was; event 21 arrives on the stream before the answer.
    const opening = t.state().select(A);
    t.state().receive(message(A, 'two', 'user', '21'));
    await opening;
    expect(t.state().open?.events.map((e) => e.id)).toEqual(['20', '21']);
    const reloading = t.state().select(A);
    t.state().receive(message(A, 'three', 'user', '22'));
    await reloading;
    expect(t.state().open?.events.map((e) => e.id)).toEqual(['20', '21', '22']);
  });

  it('marks my other conversations unread when the caller writes, until opened', async () => {
    const t = setup();
    t.api.mine = [conversation(B, 'assigned')];
    await t.state().refreshQueue();
    t.state().receive(message(B, 'hello?'));
    expect(t.state().unread).toEqual([B]);
    await t.state().select(B);
    expect(t.state().unread).toEqual([]);
  });

  it('a lost claim race says so and refreshes', async () => {
    const t = setup();
    t.api.claimError = new RelayError(409, 'already_claimed', 'Another agent (Sam) already claimed this conversation.');
    await t.state().claim(A);
    expect(t.state().notice).toEqual({ level: 'error', text: 'Could not claim the conversation: Another agent (Sam) already claimed this conversation.' });
    expect(t.api.queueCalls).toBe(1);
  });

  it('an expired session signs the agent out', async () => {
    const t = setup();
    t.api.queueError = new RelayError(401, 'unauthorized', 'Log in.');
    await t.state().refreshQueue();
    expect(t.state().signedOut).toBe(true);
  });
});
