import { describe, expect, it } from 'vitest';
import type { TurnManagerEvent } from './events.ts';
import type { HistoryMessage } from './history.ts';
import { Deferred, FakeAsr, FakeLlm, FakePlayer, FakeTts, until } from './testing/fakes.ts';
import { TurnManager } from './turn-manager.ts';

// `TurnManager.setHooks`: who answers a user message (the LLM, or someone the message is
// forwarded to), and a filter over the reply before it is spoken and kept.

function setup(options: { asr?: FakeAsr; llm?: FakeLlm; player?: FakePlayer } = {}) {
  const tts = new FakeTts();
  const llm = options.llm ?? new FakeLlm();
  let id = 0;
  const manager = new TurnManager({
    engines: { asr: options.asr ?? new FakeAsr(), llm, tts },
    player: options.player ?? new FakePlayer(true),
    settings: { splitter: { firstChunkMinWords: 0 } },
    listening: true,
    createId: () => `id${(id += 1)}`,
  });
  const events: TurnManagerEvent[] = [];
  manager.subscribe((event) => events.push(event));
  const turnEnds = () => events.flatMap((e) => (e.type === 'turn-end' ? [e] : []));
  return { manager, llm, tts, events, turnEnds };
}

describe('routing a user message', () => {
  it('a forwarded message gets no reply from the LLM, and stays in the history', async () => {
    const t = setup();
    const routed: { message: HistoryMessage; history: readonly HistoryMessage[] }[] = [];
    t.manager.setHooks({
      route: (message) => {
        routed.push({ message, history: t.manager.messages });
        return 'forwarded';
      },
    });
    t.manager.submitText('My order is late.');
    await until(() => t.turnEnds().length === 1, 'turn end');
    expect(t.turnEnds()[0]?.outcome).toBe('completed');
    expect(t.llm.calls).toHaveLength(0);
    expect(t.tts.calls).toHaveLength(0);
    expect(routed).toHaveLength(1);
    expect(routed[0]?.message).toMatchObject({ role: 'user', content: 'My order is late.', source: 'text' });
    // The route sees the history with the message already in it (triggers look at recent turns).
    expect(routed[0]?.history.at(-1)).toBe(routed[0]?.message);
    expect(t.events.some((e) => e.type === 'assistant-start')).toBe(false);
    expect(t.manager.state).toBe('listening');
  });

  it('the assistant answers when the route says so, and again after the hooks are cleared', async () => {
    const t = setup();
    t.manager.setHooks({ route: () => 'assistant' });
    t.manager.submitText('One');
    await until(() => t.turnEnds().length === 1);
    t.manager.setHooks({ route: () => 'forwarded' });
    t.manager.submitText('Two');
    await until(() => t.turnEnds().length === 2);
    t.manager.setHooks({});
    t.manager.submitText('Three');
    await until(() => t.turnEnds().length === 3);
    expect(t.llm.calls).toHaveLength(2);
    expect(t.manager.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user', 'user', 'assistant']);
  });

  it('forwards an utterance the user talked on over, so no words are lost to the recipient', async () => {
    const gate = new Deferred();
    const asr = new FakeAsr(['First part.', 'Second part.'], gate.promise);
    const t = setup({ asr });
    const forwarded: string[] = [];
    t.manager.setHooks({
      route: (message) => {
        forwarded.push(message.content);
        return 'forwarded';
      },
    });
    const speak = (at: number) => {
      t.manager.handleVadEvent({ type: 'speech-start', at: at - 500 });
      t.manager.handleVadEvent({ type: 'speech-confirmed', at: at - 400 });
      t.manager.handleVadEvent({ type: 'speech-end', reason: 'silence', at, audio: new Float32Array(16000) });
    };
    speak(1000);
    await until(() => asr.calls.length === 1);
    speak(3000); // interrupts the first turn while it is still transcribing
    gate.resolve();
    await until(() => t.turnEnds().length === 2, 'both turns');
    expect(forwarded).toEqual(['First part.', 'Second part.']);
    expect(t.turnEnds().map((e) => e.outcome)).toEqual(['interrupted', 'completed']);
  });

  it('does not route a message of a conversation that was replaced meanwhile', async () => {
    const gate = new Deferred();
    const asr = new FakeAsr(['Hello.'], gate.promise);
    const t = setup({ asr });
    let routed = 0;
    t.manager.setHooks({ route: () => ((routed += 1), 'forwarded') });
    t.manager.handleVadEvent({ type: 'speech-end', reason: 'silence', at: 1000, audio: new Float32Array(16000) });
    await until(() => asr.calls.length === 1);
    t.manager.loadHistory([]);
    gate.resolve();
    await until(() => t.turnEnds().length === 1);
    expect(routed).toBe(0);
  });
});

describe('filtering the reply', () => {
  it('what the filter removes is neither spoken nor kept, but the raw text is reported', async () => {
    const llm = new FakeLlm(['Let me get someone.', '\n', 'transfer_to_human()']);
    const t = setup({ llm });
    t.manager.setHooks({ filterReply: (text) => text.replace(/transfer_to_human\(\)/g, '').trim() });
    t.manager.submitText('I need help.');
    await until(() => t.turnEnds().length === 1);
    expect(t.tts.calls.map((c) => c.text)).toEqual(['Let me get someone.']);
    expect(t.manager.messages.at(-1)?.content).toBe('Let me get someone.');
    const final = t.events.find((e) => e.type === 'assistant-final');
    expect(final?.type === 'assistant-final' && final.generatedText).toBe('Let me get someone.\ntransfer_to_human()');
    const lastDelta = t.events.filter((e) => e.type === 'assistant-delta').at(-1);
    expect(lastDelta?.type === 'assistant-delta' && lastDelta.text).toBe('Let me get someone.');
  });
});
