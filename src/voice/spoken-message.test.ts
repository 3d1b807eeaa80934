import { describe, expect, it } from 'vitest';
import type { TurnManagerEvent } from './events.ts';
import type { VoiceSettings } from './settings.ts';
import { Deferred, FakeAsr, FakeLlm, FakePlayer, FakeTts, settle, until } from './testing/fakes.ts';
import { TurnManager } from './turn-manager.ts';

// `TurnManager.speak`: text spoken without the LLM (a person's messages during a handoff,
// announcements), queued behind the turns before it, with barge-in.

function setup(options: { player?: FakePlayer; tts?: FakeTts; llm?: FakeLlm; settings?: Partial<VoiceSettings> } = {}) {
  const player = options.player ?? new FakePlayer(true);
  const tts = options.tts ?? new FakeTts();
  const llm = options.llm ?? new FakeLlm();
  let id = 0;
  const manager = new TurnManager({
    engines: { asr: new FakeAsr(), llm, tts },
    player,
    settings: { splitter: { firstChunkMinWords: 0 }, ...options.settings },
    listening: true,
    createId: () => `id${(id += 1)}`,
  });
  const events: TurnManagerEvent[] = [];
  manager.subscribe((event) => events.push(event));
  const contents = () => manager.messages.map((m) => [m.role, m.content, m.agentName ?? null]);
  return { manager, player, tts, llm, events, contents };
}

describe('speaking a message without the LLM', () => {
  it('synthesises and plays it sentence by sentence and keeps it as the named person’s', async () => {
    const t = setup();
    const outcome = await t.manager.speak('Hi, this is Alex. How can I help?', { agentName: 'Alex', messageId: 'relay-7' });
    expect(outcome).toBe('completed');
    expect(t.tts.calls.map((c) => c.text)).toEqual(['Hi, this is Alex.', 'How can I help?']);
    expect(t.player.enqueued).toHaveLength(2);
    expect(t.manager.messages).toEqual([
      expect.objectContaining({ id: 'relay-7', role: 'assistant', content: 'Hi, this is Alex. How can I help?', agentName: 'Alex' }),
    ]);
    expect(t.llm.calls).toHaveLength(0);
    const states = t.events.flatMap((e) => (e.type === 'state' ? [e.state] : []));
    expect(states).toContain('speaking');
    expect(t.manager.state).toBe('listening');
  });

  it('uses the voice it is given, else the assistant’s', async () => {
    const t = setup({ settings: { voice: 'af_heart' } });
    await t.manager.speak('One.', { voice: 'am_michael' });
    await t.manager.speak('Two.');
    expect(t.tts.calls.map((c) => c.options.voice)).toEqual(['am_michael', 'af_heart']);
  });

  it('waits for the reply in progress instead of cutting it off', async () => {
    const player = new FakePlayer(false);
    const t = setup({ player });
    t.manager.submitText('Hello?');
    await until(() => player.enqueued.length === 2, 'reply queued');
    player.startNext();
    const spoken = t.manager.speak('Alex joined.');
    await settle();
    expect(t.manager.state).toBe('speaking');
    expect(t.tts.calls).toHaveLength(2);
    player.finishCurrent();
    player.startNext();
    player.finishCurrent();
    await until(() => player.enqueued.length === 3, 'announcement queued');
    player.startNext();
    player.finishCurrent();
    expect(await spoken).toBe('completed');
    expect(t.contents()).toEqual([
      ['user', 'Hello?', null],
      ['assistant', 'Hi there. How can I help?', null],
      ['assistant', 'Alex joined.', null],
    ]);
    expect(t.tts.calls.map((c) => c.text)).toEqual(['Hi there.', 'How can I help?', 'Alex joined.']);
  });

  it('plays queued messages one after the other, in order', async () => {
    const t = setup();
    const first = t.manager.speak('First message.', { agentName: 'Alex' });
    const second = t.manager.speak('Second message.', { agentName: 'Alex' });
    expect(await Promise.all([first, second])).toEqual(['completed', 'completed']);
    expect(t.contents().map((c) => c[1])).toEqual(['First message.', 'Second message.']);
    expect(t.player.enqueued.map((s) => s.turnId)).toHaveLength(2);
    expect(new Set(t.player.enqueued.map((s) => s.turnId)).size).toBe(2);
  });

  it('stops on barge-in, and the whole text stays in the history', async () => {
    const player = new FakePlayer(false);
    const t = setup({ player });
    const outcome = t.manager.speak('A long message. With two sentences.', { agentName: 'Alex' });
    await until(() => player.enqueued.length >= 1, 'first sentence queued');
    player.startNext();
    await until(() => t.manager.state === 'speaking', 'speaking');
    t.manager.handleVadEvent({ type: 'speech-start', at: 1 });
    t.manager.handleVadEvent({ type: 'speech-confirmed', at: 2 });
    expect(await outcome).toBe('interrupted');
    expect(player.stops).toBe(1);
    expect(t.contents()).toEqual([['assistant', 'A long message. With two sentences.', 'Alex']]);
  });

  it('a barge-in also stops what is queued behind the message; queued text is still kept', async () => {
    const player = new FakePlayer(false);
    const t = setup({ player });
    const first = t.manager.speak('First message.', { agentName: 'Alex' });
    const second = t.manager.speak('Second message.', { agentName: 'Alex' });
    await until(() => player.enqueued.length >= 1, 'first queued');
    player.startNext();
    await until(() => t.manager.state === 'speaking', 'speaking');
    t.manager.handleVadEvent({ type: 'speech-start', at: 1 });
    t.manager.handleVadEvent({ type: 'speech-confirmed', at: 2 });
    expect(await first).toBe('interrupted');
    expect(await second).toBe('interrupted');
    expect(t.tts.calls.map((c) => c.text)).toEqual(['First message.']);
    expect(t.contents().map((c) => c[1])).toEqual(['First message.', 'Second message.']);
  });

  it('a typed message cuts the spoken one short and comes after it in the history', async () => {
    const player = new FakePlayer(false);
    const t = setup({ player });
    const spoken = t.manager.speak('Please hold on. I am checking.', { agentName: 'Alex' });
    await until(() => player.enqueued.length >= 1, 'queued');
    player.startNext();
    t.manager.submitText('Thanks');
    expect(await spoken).toBe('interrupted');
    await until(() => t.manager.messages.length === 2, 'user message');
    expect(t.contents().map((c) => c[0])).toEqual(['assistant', 'user']);
  });

  it('is ignored as the microphone’s echo in half-duplex mode', async () => {
    const player = new FakePlayer(false);
    const t = setup({ player, settings: { halfDuplex: true } });
    const spoken = t.manager.speak('Hello from a person.', { agentName: 'Alex' });
    await until(() => player.enqueued.length >= 1, 'queued');
    player.startNext();
    await until(() => t.manager.state === 'speaking', 'speaking');
    t.manager.handleVadEvent({ type: 'speech-start', at: 1 });
    t.manager.handleVadEvent({ type: 'speech-confirmed', at: 2 });
    await settle();
    expect(player.stops).toBe(0);
    player.finishCurrent();
    expect(await spoken).toBe('completed');
  });

  it('reports a TTS failure and still keeps the text', async () => {
    const tts = new FakeTts();
    tts.failing = true;
    const t = setup({ tts });
    expect(await t.manager.speak('Can you hear me?', { agentName: 'Alex' })).toBe('failed');
    expect(t.events.some((e) => e.type === 'error' && e.stage === 'tts')).toBe(true);
    expect(t.contents()).toEqual([['assistant', 'Can you hear me?', 'Alex']]);
  });

  it('does not write into a conversation loaded while it waited', async () => {
    const hold = new Deferred();
    const tts = new FakeTts();
    tts.gates.set(0, hold.promise);
    const t = setup({ tts });
    t.manager.submitText('Hello?');
    await until(() => tts.calls.length === 1, 'reply synthesising');
    const spoken = t.manager.speak('Late message.');
    t.manager.loadHistory([]);
    hold.resolve();
    await spoken;
    await settle();
    expect(t.manager.messages).toEqual([]);
  });

  it('says nothing for empty text, or once the manager is disposed', async () => {
    const t = setup();
    expect(await t.manager.speak('   ')).toBe('interrupted');
    t.manager.dispose();
    expect(await t.manager.speak('Hello.')).toBe('interrupted');
    expect(t.tts.calls).toHaveLength(0);
  });
});
