import { describe, expect, it } from 'vitest';
import { announce } from './announcements.ts';
import { RelayError } from '../net/relay-error.ts';
import { setup, settle, withAgent } from './testing/controller-harness.ts';
import { CONVERSATION_ID, relayEvents } from './testing/fakes.ts';

describe('starting a handoff', () => {
  it('an explicit request goes to the relay with the transcript, a summary and the reason, not to the LLM', async () => {
    const t = setup();
    expect(t.turns.user('What is the capital of France?')).toBe('assistant');
    t.turns.assistant('Paris.');
    expect(t.turns.user('I want to talk to a human agent, please.')).toBe('forwarded');
    expect(t.phase()).toBe('connecting');
    // Nothing is done from inside the routing hook: the turn takes its answer first.
    expect(t.turns.texts()).toEqual([]);
    expect(t.relay.created).toHaveLength(0);
    await Promise.resolve();
    expect(t.turns.texts()).toEqual([announce.connecting]);
    await settle();

    expect(t.relay.created).toHaveLength(1);
    const request = t.relay.created[0]!;
    expect(request.reason).toEqual({ kind: 'explicit_request', detail: 'talk to a human agent' });
    expect(request.transcript?.map((e) => [e.role, e.text])).toEqual([
      ['user', 'What is the capital of France?'],
      ['assistant', 'Paris.'],
      ['user', 'I want to talk to a human agent, please.'],
    ]);
    expect(request.summary).toContain('First request: “What is the capital of France?”');
    expect(t.phase()).toBe('waiting');
    expect(t.storage.current).toMatchObject({ conversationId: CONVERSATION_ID, token: 'device-token', state: 'pending', localConversationId: 'local-1' });
    expect(t.streams.current.lastEventId).toBeNull();
    // A new single-use ticket for every (re)connect, never the token in the URL.
    expect(t.streams.current.singleUse).toBe(true);
    expect(await t.streams.current.url(null)).toBe(`/events/${CONVERSATION_ID}?ticket=ticket-1`);
    expect(await t.streams.current.url('7')).toBe(`/events/${CONVERSATION_ID}?ticket=ticket-2&lastEventId=7`);
  });

  it('an assistant reply with the transfer_to_human call starts one too, and the call is not spoken', async () => {
    const t = setup();
    t.turns.user('Can you sort out my refund?');
    t.turns.assistant('Let me get a colleague.\ntransfer_to_human(reason="refund")');
    expect(t.turns.messages.find((m) => m.role === 'assistant')?.content).toBe('Let me get a colleague.');
    await settle();
    expect(t.relay.created[0]?.reason).toEqual({ kind: 'tool_call', detail: 'transfer_to_human(reason="refund")' });
    expect(t.turns.texts()).toEqual([announce.connecting]);
  });

  it('repeated failure and empty transcripts count towards the limit', async () => {
    const t = setup({ settings: { failureLimit: 3 } });
    t.turns.assistant("Sorry, I can't help with that.");
    t.turns.emit({ type: 'notice', notice: { kind: 'no-speech', turnId: 't', transcript: '' } });
    expect(t.relay.created).toHaveLength(0);
    t.turns.assistant("I don't know.");
    await settle();
    expect(t.relay.created[0]?.reason.kind).toBe('repeated_failure');
  });

  it('a button can ask for a person; a second request while one runs is ignored', async () => {
    const t = setup();
    t.controller.request({ kind: 'explicit_request', detail: 'button' });
    t.controller.request({ kind: 'explicit_request', detail: 'button' });
    await settle();
    expect(t.relay.created).toHaveLength(1);
  });

  it('what the caller says while the handoff is being created is posted once it exists', async () => {
    const t = setup();
    let open: () => void = () => {};
    t.relay.createGate = new Promise((resolve) => (open = resolve));
    t.turns.user('Get me a person.');
    expect(t.turns.user('It is about my order 12345.')).toBe('forwarded');
    open();
    await settle();
    expect(t.relay.posted.map((m) => m.text)).toEqual(['It is about my order 12345.']);
    expect(t.relay.posted[0]?.clientMessageId).toBe(t.turns.messages.find((m) => m.content === 'It is about my order 12345.')?.id);
  });

  it('says so and stays with the assistant when the relay cannot be reached', async () => {
    const t = setup();
    t.relay.failures.create = [new RelayError(0, 'network', 'The relay could not be reached (offline).')];
    t.turns.user('Let me speak to a person.');
    await settle();
    expect(t.phase()).toBe('off');
    expect(t.turns.texts()).toEqual([announce.connecting, announce.unreachable]);
    expect(t.notices.map((n) => n.level)).toEqual(['error']);
    expect(t.storage.current).toBeNull();
    expect(t.turns.user('What time is it?')).toBe('assistant');
  });

  it('nothing starts while handoff is turned off in the settings', () => {
    const t = setup({ settings: { enabled: false } });
    expect(t.turns.user('I want to talk to a human.')).toBe('assistant');
  });
});

describe('talking with a person', () => {
  it('announces who joined, and speaks their messages as theirs', async () => {
    const t = await withAgent();
    expect(t.phase()).toBe('with-agent');
    expect(t.controller.status.agentName).toBe('Alex');
    expect(t.turns.texts().at(-1)).toBe(announce.joined('Alex'));

    const message = relayEvents.agentMessage('Hi, this is Alex. How can I help?');
    t.streams.deliver(message);
    expect(t.turns.spoken.at(-1)).toEqual({
      text: 'Hi, this is Alex. How can I help?',
      options: { agentName: 'Alex', messageId: `relay-${CONVERSATION_ID}-${message.id}` },
    });
    expect(t.storage.current?.lastEventId).toBe(message.id);
    expect(t.statuses.at(-1)).toEqual({ phase: 'with-agent', agentName: 'Alex', reason: { kind: 'explicit_request', detail: 'talk to a human agent' } });
  });

  it('forwards the caller’s words as text, idempotently, and forgets them once the relay echoes them', async () => {
    const t = await withAgent();
    expect(t.turns.user('My parcel never arrived.')).toBe('forwarded');
    await settle();
    const id = t.turns.messages.at(-1)!.id;
    expect(t.relay.posted).toEqual([{ clientMessageId: id, text: 'My parcel never arrived.' }]);
    expect(t.storage.current?.outbox).toEqual([]);
  });

  it('retries a post that failed on the network, keeping the order', async () => {
    const t = await withAgent();
    t.relay.failures.post = [new RelayError(0, 'network', 'offline'), new RelayError(503, 'unavailable', 'busy')];
    t.turns.user('First.');
    t.turns.user('Second.');
    await Promise.resolve();
    expect(t.storage.current?.outbox.map((m) => m.text)).toEqual(['First.', 'Second.']);
    await settle();
    await settle();
    expect(t.relay.posted.map((m) => m.text)).toEqual(['First.', 'Second.']);
    expect(t.storage.current?.outbox).toEqual([]);
  });

  it('drops a message the relay refuses for good, with a notice', async () => {
    const t = await withAgent();
    t.relay.failures.post = [new RelayError(400, 'invalid_body', 'text: too long')];
    t.turns.user('x');
    await settle();
    expect(t.storage.current?.outbox).toEqual([]);
    expect(t.notices.at(-1)?.level).toBe('warning');
  });

  it('the caller can go back to the assistant', async () => {
    const t = await withAgent();
    await t.controller.cancel();
    expect(t.relay.cancelled).toEqual([CONVERSATION_ID]);
    expect(t.phase()).toBe('off');
    expect(t.turns.texts().at(-1)).toBe(announce.returned);
    expect(t.streams.current.closed).toBe(true);
    expect(t.turns.user('Hello again')).toBe('assistant');
  });
});
