import { describe, expect, it } from 'vitest';
import { announce } from './announcements.ts';
import { INITIAL_STATE, statusOf, transition, type HandoffInput, type HandoffState } from './handoff-machine.ts';
import { routeOf } from './handoff-route.ts';
import type { StoredHandoff } from './handoff-storage.ts';
import { CONVERSATION_ID, relayEvents } from './testing/fakes.ts';

const reason = { kind: 'explicit_request', detail: 'button' } as const;
const stored: StoredHandoff = {
  conversationId: CONVERSATION_ID,
  token: 'tok',
  lastEventId: '150',
  state: 'assigned',
  agentName: 'Alex',
  localConversationId: 'local-1',
  outbox: [],
};

/** Feeds `inputs` in order; the state after them and every effect's type. */
function run(inputs: HandoffInput[], from: HandoffState = INITIAL_STATE) {
  let state = from;
  const effects = [];
  for (const input of inputs) {
    const next = transition(state, input);
    state = next.state;
    effects.push(...next.effects);
  }
  return { state, effects, types: effects.map((e) => e.type) };
}

const trigger: HandoffInput = { type: 'trigger', reason, localConversationId: 'local-1' };
const created: HandoffInput = { type: 'created', conversationId: CONVERSATION_ID, token: 'tok', state: 'pending', localConversationId: 'local-1' };
const withAlex = () => run([trigger, created, { type: 'relay-event', event: relayEvents.claim('Alex') }]).state;

describe('the handoff state machine', () => {
  it('a trigger creates the handoff, then announces it; a second trigger meanwhile is ignored', () => {
    const t = run([trigger, trigger]);
    expect(t.state).toMatchObject({ phase: 'connecting', reason });
    expect(t.effects).toEqual([
      { type: 'create', reason, askAgain: null, localConversationId: 'local-1' },
      { type: 'speak', text: announce.connecting },
    ]);
    expect(statusOf(t.state)).toEqual({ phase: 'connecting', agentName: null, reason });
  });

  it('keeps the words said while connecting and puts them first in the outbox', () => {
    const message = { clientMessageId: 'm1', text: 'My order' };
    const t = run([trigger, { type: 'forward', message }, created]);
    expect(t.state).toMatchObject({ phase: 'waiting', handoff: { conversationId: CONVERSATION_ID, outbox: [message], lastEventId: null } });
    expect(t.types.slice(-2)).toEqual(['open-stream', 'send']);
  });

  it('a cancel asked for while connecting is carried out once the handoff exists', () => {
    const t = run([trigger, { type: 'cancel' }, created]);
    expect(t.types.at(-1)).toBe('cancel');
  });

  it('goes back off with an apology when the relay cannot be reached', () => {
    const t = run([trigger, { type: 'forward', message: { clientMessageId: 'x', text: 'lost' } }, { type: 'create-failed', message: 'offline' }]);
    expect(t.state).toEqual({ phase: 'off', handoff: null });
    expect(t.effects.at(-1)).toEqual({ type: 'speak', text: announce.unreachable });
    expect(t.effects.at(-2)).toMatchObject({ type: 'notify', notice: { level: 'error', text: 'No person could be reached: offline' } });
  });

  it('announces the person once, names them in the status, and records the last event', () => {
    const again = relayEvents.claim('Alex');
    const t = run([trigger, created, { type: 'relay-event', event: relayEvents.claim('Alex') }, { type: 'relay-event', event: again }]);
    expect(statusOf(t.state)).toEqual({ phase: 'with-agent', agentName: 'Alex', reason });
    expect(t.effects.filter((e) => e.type === 'speak').map((e) => e.text)).toEqual([announce.connecting, announce.joined('Alex')]);
    expect(t.state.handoff?.lastEventId).toBe(again.id);
  });

  it('speaks an agent message with one history id per relay event', () => {
    const message = relayEvents.agentMessage('Hello');
    const t = run([{ type: 'relay-event', event: message }], withAlex());
    expect(t.effects).toEqual([{ type: 'speak-agent', text: 'Hello', agentName: 'Alex', messageId: `relay-${CONVERSATION_ID}-${message.id}` }]);
    expect(t.state.handoff?.lastEventId).toBe(message.id);
  });

  it('takes words off the outbox when posted, refused, or echoed by the relay; warns only about a refusal', () => {
    const a = { clientMessageId: 'a', text: 'A' };
    const b = { clientMessageId: 'b', text: 'B' };
    const c = { clientMessageId: 'c', text: 'C' };
    const queued = run([a, b, c].map((message) => ({ type: 'forward', message }) as const), withAlex());
    expect(queued.types).toEqual(['send', 'send', 'send']);
    const t = run(
      [
        { type: 'sent', clientMessageId: 'a' },
        { type: 'relay-event', event: relayEvents.userMessage('C', 'c') },
        { type: 'refused', clientMessageId: 'b', code: 'invalid_body', message: 'too long' },
      ],
      queued.state,
    );
    expect(t.state.handoff?.outbox).toEqual([]);
    expect(t.effects).toEqual([{ type: 'notify', notice: { id: 'handoff-message', level: 'warning', text: 'A message could not be sent to the person: too long' } }]);
    const unchanged = transition(t.state, { type: 'sent', clientMessageId: 'nope' });
    expect(unchanged.state).toBe(t.state);
  });

  it('back to the assistant when the person returns it: the conversation kept for asking again, without its outbox', () => {
    const from = run([{ type: 'forward', message: { clientMessageId: 'a', text: 'A' } }], withAlex()).state;
    const t = run([{ type: 'relay-event', event: relayEvents.returned() }], from);
    expect(t.state).toMatchObject({ phase: 'off', handoff: { state: 'bot', outbox: [], agentName: 'Alex' } });
    expect(t.effects).toEqual([{ type: 'close-stream' }, { type: 'stop-sending' }, { type: 'reset-triggers' }, { type: 'speak', text: announce.returned }]);
  });

  it('asks again in the kept conversation, and skips the earlier rounds replayed before the new handoff', () => {
    const back = run([{ type: 'relay-event', event: relayEvents.returned() }], withAlex()).state;
    const again = run([trigger], back);
    expect(again.effects[0]).toMatchObject({ type: 'create', askAgain: { conversationId: CONVERSATION_ID, state: 'bot' } });
    const t = run([{ type: 'asked-again', state: 'pending' }, { type: 'relay-event', event: relayEvents.cancelled() }], again.state);
    expect(t.state).toMatchObject({ phase: 'waiting', skipUntilHandoff: true, handoff: { state: 'pending', agentName: null } });
    const claimed = run([{ type: 'relay-event', event: relayEvents.handoff() }, { type: 'relay-event', event: relayEvents.claim('Sam') }], t.state);
    expect(statusOf(claimed.state)).toMatchObject({ phase: 'with-agent', agentName: 'Sam' });
  });

  it('does not ask again from another device conversation', () => {
    const back = run([{ type: 'relay-event', event: relayEvents.returned() }], withAlex()).state;
    expect(run([{ ...trigger, localConversationId: 'local-2' }], back).effects[0]).toMatchObject({ type: 'create', askAgain: null });
  });

  it('an expiry waits on; the SLA sends it back; a resolution forgets the conversation', () => {
    const waiting = run([trigger, created]).state;
    expect(run([{ type: 'relay-event', event: relayEvents.expired() }], waiting).state).toMatchObject({ phase: 'waiting', handoff: { state: 'expired' } });
    expect(run([{ type: 'relay-event', event: relayEvents.expiredToBot() }], waiting).effects.at(-1)).toEqual({ type: 'speak', text: announce.nobodyFree });
    const resolved = run([{ type: 'relay-event', event: relayEvents.resolved() }], withAlex());
    expect(resolved.state).toEqual({ phase: 'off', handoff: null });
    expect(resolved.effects.at(-1)).toEqual({ type: 'speak', text: announce.ended('Alex') });
  });

  it('checks the conversation when the stream breaks at first and every fifth time, and ends it if the relay lost it', () => {
    const active = withAlex();
    const checks = [1, 2, 3, 4, 5, 10].filter((attempt) => transition(active, { type: 'stream-broken', attempt }).effects.length > 0);
    expect(checks).toEqual([1, 5, 10]);
    expect(run([{ type: 'lost', conversationId: 'another' }], active).state).toBe(active);
    const lost = run([{ type: 'lost', conversationId: CONVERSATION_ID }], active);
    expect(lost.state).toEqual({ phase: 'off', handoff: null });
    expect(lost.effects.at(-1)).toEqual({ type: 'speak', text: announce.lost });
  });

  it('a refused cancel checks the conversation when the state moved on, and says so otherwise', () => {
    const active = withAlex();
    expect(run([{ type: 'cancel-failed', code: 'invalid_state', message: '' }], active).types).toEqual(['check']);
    expect(run([{ type: 'cancel-failed', code: 'network', message: 'offline' }], active).effects[0]).toMatchObject({ type: 'notify', notice: { level: 'error' } });
  });

  it('resumes a stored handoff: the same phase, the right device conversation, the stream, the outbox', () => {
    const t = run([{ type: 'resume', stored, localConversationId: 'local-2' }]);
    expect(statusOf(t.state)).toEqual({ phase: 'with-agent', agentName: 'Alex', reason: null });
    expect(t.effects).toEqual([{ type: 'open-local', id: 'local-1' }, { type: 'open-stream', handoff: stored }, { type: 'send' }]);
    expect(run([{ type: 'resume', stored: { ...stored, state: 'expired' }, localConversationId: 'local-1' }]).types).toEqual(['open-stream', 'send']);
    expect(run([{ type: 'resume', stored: { ...stored, state: 'bot' }, localConversationId: 'local-1' }]).state).toEqual({ phase: 'off', handoff: { ...stored, state: 'bot' } });
    expect(run([{ type: 'resume', stored: { ...stored, state: 'resolved' }, localConversationId: 'local-1' }]).state).toEqual({ phase: 'off', handoff: null });
  });

  it('ignores relay news while no handoff is under way, and events of another conversation', () => {
    expect(run([{ type: 'relay-event', event: relayEvents.claim() }]).state).toBe(INITIAL_STATE);
    const active = withAlex();
    expect(run([{ type: 'relay-event', event: { ...relayEvents.resolved(), conversationId: 'other' } }], active).state).toBe(active);
  });
});

describe('routing a caller’s message', () => {
  const message = { id: 'a1b2:c3', turnId: 't', role: 'user', content: 'Hello', createdAt: 0 } as const;

  it('goes to the assistant unless it asked for a person, which starts a handoff', () => {
    expect(routeOf(INITIAL_STATE, message, null, 'local-1')).toEqual({ route: 'assistant', input: null });
    expect(routeOf(INITIAL_STATE, message, reason, 'local-1')).toEqual({ route: 'forwarded', input: { ...trigger } });
  });

  it('goes to the relay while a handoff is under way, with an id the relay accepts', () => {
    expect(routeOf(withAlex(), message, null, 'local-1')).toEqual({ route: 'forwarded', input: { type: 'forward', message: { clientMessageId: 'a1b2-c3', text: 'Hello' } } });
    expect(routeOf(run([trigger]).state, message, null, 'local-1').route).toBe('forwarded');
  });
});
