import { describe, expect, it } from 'vitest';
import { announce } from './announcements.ts';
import type { StoredHandoff } from './handoff-storage.ts';
import { RelayError } from '../net/relay-error.ts';
import { setup, settle, withAgent } from './testing/controller-harness.ts';
import { CONVERSATION_ID, relayEvents } from './testing/fakes.ts';

describe('going back to the assistant', () => {
  it('when the person returns the conversation: normal turns, the history kept, the conversation kept for asking again', async () => {
    const t = await withAgent();
    t.streams.deliver(relayEvents.agentMessage('I have fixed it.'));
    t.streams.deliver(relayEvents.returned());
    expect(t.phase()).toBe('off');
    expect(t.turns.texts().at(-1)).toBe(announce.returned);
    expect(t.streams.current.closed).toBe(true);
    expect(t.storage.current?.state).toBe('bot');
    expect(t.turns.user('Thanks! What is the capital of France?')).toBe('assistant');
    expect(t.turns.messages.find((m) => m.agentName === 'Alex')?.content).toBe('I have fixed it.');
  });

  it('asking again later reuses the conversation and skips the replay of the earlier rounds', async () => {
    const t = await withAgent();
    const returned = relayEvents.returned();
    t.streams.deliver(returned);
    t.turns.user('Let me talk to a person again.');
    await settle();
    expect(t.relay.askedAgain).toHaveLength(1);
    expect(t.relay.created).toHaveLength(1);
    expect(t.phase()).toBe('waiting');
    expect(t.streams.current.lastEventId).toBe(returned.id);
    // An old event replayed before the new handoff does not end the new wait.
    t.streams.deliver(relayEvents.cancelled());
    expect(t.phase()).toBe('waiting');
    t.streams.deliver(relayEvents.handoff());
    t.streams.deliver(relayEvents.pending());
    t.streams.deliver(relayEvents.claim('Sam'));
    expect(t.controller.status.agentName).toBe('Sam');
  });

  it('when nobody claims it within the SLA', async () => {
    const t = setup();
    t.turns.user('Transfer me to an agent');
    await settle();
    t.streams.deliver(relayEvents.expired());
    expect(t.phase()).toBe('waiting');
    t.streams.deliver(relayEvents.expiredToBot());
    expect(t.phase()).toBe('off');
    expect(t.turns.texts().at(-1)).toBe(announce.nobodyFree);
  });

  it('when the person resolves it: the conversation is over', async () => {
    const t = await withAgent();
    t.streams.deliver(relayEvents.resolved());
    expect(t.phase()).toBe('off');
    expect(t.turns.texts().at(-1)).toBe(announce.ended('Alex'));
    expect(t.storage.current).toBeNull();
  });

  it('when the relay no longer knows the conversation', async () => {
    const t = await withAgent();
    t.relay.failures.get = [new RelayError(404, 'not_found', 'No such conversation.')];
    t.streams.current.onBroken?.(1);
    await settle();
    expect(t.phase()).toBe('off');
    expect(t.turns.texts().at(-1)).toBe(announce.lost);
    expect(t.storage.current).toBeNull();
  });

  it('a stream that merely drops keeps the handoff', async () => {
    const t = await withAgent();
    t.relay.failures.get = [new RelayError(0, 'network', 'offline')];
    t.streams.current.onBroken?.(1);
    await settle();
    expect(t.phase()).toBe('with-agent');
  });

  it('triggers start afresh: anger from before the handoff does not hand off again', async () => {
    const t = setup({ settings: { sentimentWindow: 3, sentimentThreshold: 1.5 } });
    t.turns.user('This is ridiculous, the worst service ever!');
    t.turns.user('Useless. Absolutely terrible!');
    await settle();
    expect(t.relay.created[0]?.reason.kind).toBe('negative_sentiment');
    t.streams.deliver(relayEvents.claim());
    t.streams.deliver(relayEvents.returned());
    expect(t.turns.user('Still, the worst day ever!')).toBe('assistant');
  });
});

describe('surviving a reload', () => {
  const stored: StoredHandoff = {
    conversationId: CONVERSATION_ID,
    token: 'device-token',
    lastEventId: '150',
    state: 'assigned',
    agentName: 'Alex',
    localConversationId: 'local-1',
    outbox: [{ clientMessageId: 'unsent-1', text: 'Are you there?' }],
  };

  it('resumes the handoff where it was: the same person, the stream after the last event, unsent words sent', async () => {
    const t = setup({ stored });
    expect(t.phase()).toBe('with-agent');
    expect(t.controller.status.agentName).toBe('Alex');
    expect(t.streams.current.lastEventId).toBe('150');
    expect(t.turns.texts()).toEqual([]); // no second "Alex has joined"
    await settle();
    expect(t.relay.posted).toEqual([{ clientMessageId: 'unsent-1', text: 'Are you there?' }]);
    expect(t.turns.user('Hello?')).toBe('forwarded');
  });

  it('opens the device conversation the handoff belongs to', () => {
    const t = setup({ stored, local: 'local-2' });
    expect(t.opened).toEqual(['local-1']);
  });

  it('never speaks or keeps an agent message twice', async () => {
    const t = setup({ stored });
    const message = relayEvents.agentMessage('Sorry for the wait.');
    t.streams.deliver(message);
    // The same event again, e.g. replayed to a second controller after a reload before it was recorded.
    const again = setup({ stored: { ...stored, lastEventId: '150' } });
    again.turns.messages = [...t.turns.messages];
    again.streams.deliver(message);
    expect(again.turns.spoken).toEqual([]);
  });

  it('a stored handoff back with the assistant resumes nothing; a resolved one is forgotten', () => {
    expect(setup({ stored: { ...stored, state: 'bot' } }).phase()).toBe('off');
    const resolved = setup({ stored: { ...stored, state: 'resolved' } });
    expect(resolved.phase()).toBe('off');
    expect(resolved.storage.current).toBeNull();
  });
});

describe('disposal', () => {
  it('unhooks from the turns and closes the stream', async () => {
    const t = await withAgent();
    t.controller.dispose();
    expect(t.turns.hooks).toEqual({});
    expect(t.streams.current.closed).toBe(true);
  });
});
