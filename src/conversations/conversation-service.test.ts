import { describe, expect, it } from 'vitest';
import type { Conversation, Message } from './conversation-types.ts';
import type { TurnManagerEvent } from '../voice/events.ts';
import { Deferred, FakeAsr, FakeLlm, FakePlayer, FakeTts, settle, until } from '../voice/testing/fakes.ts';
import { TurnManager } from '../voice/turn-manager.ts';
import { ConversationService } from './conversation-service.ts';
import { MemoryStorage, stateCell } from './testing.ts';

function message(id: string, role: Message['role'], content: string): Message {
  return { id, turnId: `t-${id}`, role, content, createdAt: 0 };
}

function saved(id: string, updatedAt: number, ...contents: string[]): Conversation {
  const messages = contents.map((content, i) => message(`${id}-${i}`, i % 2 === 0 ? 'user' : 'assistant', content));
  return { id, title: contents[0] ?? 'New conversation', createdAt: updatedAt, updatedAt, messages };
}

/** The service and a real turn manager on fake engines, wired as voice-session.ts and turn-event-binding.ts wire them. */
async function setup(options: { stored?: Conversation[]; llm?: FakeLlm; load?: boolean } = {}) {
  const storage = new MemoryStorage(options.stored);
  const state = stateCell();
  let ids = 0;
  const service = new ConversationService({ storage, state, createId: () => `c${(ids += 1)}`, now: () => 1_000_000 + ids });
  if (options.load ?? true) await service.load();
  const llm = options.llm ?? new FakeLlm();
  let messageIds = 0;
  const turns: TurnManager = new TurnManager({
    engines: { asr: new FakeAsr(), llm, tts: new FakeTts(), models: { asr: 'a', llm: 'l', tts: 't' }, backends: { llm: 'wasm' } },
    player: new FakePlayer(true),
    settings: { splitter: { firstChunkMinWords: 0 } },
    listening: true,
    createId: () => `m${(messageIds += 1)}`,
    history: service.connect({ loadHistory: (messages) => turns.loadHistory(messages) }),
  });
  const events: TurnManagerEvent[] = [];
  turns.subscribe((event) => {
    events.push(event);
    if (event.type === 'history') service.record(event.messages);
  });
  const turnEnds = () => events.filter((e) => e.type === 'turn-end').length;
  /** Types `text` and waits for the whole turn. */
  const talk = async (text: string) => {
    const before = turnEnds();
    turns.submitText(text);
    await until(() => turnEnds() > before, 'turn end');
  };
  const listed = () => state.value.conversations.filter((c) => c.messages.length > 0);
  const prompt = (call: number) => JSON.stringify(llm.calls[call]?.messages);
  return { storage, state, service, turns, llm, events, turnEnds, talk, listed, prompt };
}

describe('deleting the open conversation', () => {
  it('removes it from the list, the device and the voice loop: the next turn neither saves it again nor sends it to the LLM', async () => {
    const t = await setup();
    await t.talk('My secret word is pineapple.');
    await t.service.whenStored();
    const secret = t.state.value.currentId;
    expect(t.storage.records.get(secret)?.messages.map((m) => m.content)).toEqual(['My secret word is pineapple.', 'Hi there. How can I help?']);

    await t.service.delete(secret);
    expect(t.listed()).toEqual([]);
    expect(t.state.value.currentId).not.toBe(secret);
    expect(t.turns.messages).toEqual([]);
    expect(t.storage.records.size).toBe(0);

    await t.talk('What did I tell you?');
    await t.service.whenStored();
    expect(t.prompt(1)).not.toContain('pineapple');
    expect(t.llm.calls[1]?.messages.slice(1)).toEqual([{ role: 'user', content: 'What did I tell you?' }]);
    expect(t.storage.dump()).not.toContain('pineapple');
    expect(t.storage.records.has(secret)).toBe(false);
    expect(t.listed().map((c) => c.title)).toEqual(['What did I tell you?']);
    expect(JSON.stringify(t.state.value)).not.toContain('pineapple');
  });

  it('in the middle of its turn: what the turn still says is written nowhere', async () => {
    const llm = new FakeLlm();
    const gate = new Deferred();
    llm.gates.set(3, gate.promise);
    const t = await setup({ llm });
    t.turns.submitText('My secret word is pineapple.');
    // The user's message is in (listed, on its way to the device); the reply is being written.
    await until(() => t.listed().length === 1 && llm.calls[0]?.produced === 3, 'reply under way');
    const secret = t.state.value.currentId;

    const deleted = t.service.delete(secret);
    gate.resolve();
    await until(() => t.turnEnds() === 1, 'the old turn ends');
    await deleted;
    await settle();
    await t.service.whenStored();
    expect(t.turns.messages).toEqual([]);
    expect(JSON.stringify(t.state.value)).not.toContain('pineapple');
    expect(t.storage.records.size).toBe(0);

    await t.talk('Hello again.');
    await t.service.whenStored();
    expect(t.prompt(1)).not.toContain('pineapple');
    expect(t.storage.dump()).not.toContain('pineapple');
  });

  it('a save still waiting for the device does not bring it back', async () => {
    const t = await setup();
    const busy = new Deferred();
    t.storage.gate = busy.promise;
    await t.talk('My secret word is pineapple.');
    const secret = t.state.value.currentId;
    const deleted = t.service.delete(secret);
    busy.resolve();
    await deleted;
    await t.service.whenStored();
    expect(t.storage.records.size).toBe(0);
    // Nothing of it was written after the delete.
    expect(t.storage.calls.slice(t.storage.calls.indexOf(`delete ${secret}`) + 1)).toEqual([]);
  });

  it('a delete the device refused is reported, and done before the next write', async () => {
    const t = await setup({ stored: [saved('old', 5, 'My secret word is pineapple.', 'Noted.')] });
    expect(t.state.value.currentId).toBe('old');
    t.storage.failDeletes = new Error('disk on fire');
    await t.service.delete('old');
    expect(t.state.value.storageError).toMatch(/could not be removed from the device yet.*disk on fire/);
    expect(t.listed()).toEqual([]);
    expect(t.turns.messages).toEqual([]);

    t.storage.failDeletes = null;
    await t.talk('Something else.');
    await t.service.whenStored();
    expect(t.storage.dump()).not.toContain('pineapple');
    expect(t.state.value.storageError).toBeUndefined();
    expect(t.prompt(0)).not.toContain('pineapple');
  });

  it('deleting another conversation leaves the open one and its turn alone', async () => {
    const t = await setup({ stored: [saved('old', 5, 'First question', 'First answer')] });
    t.service.startNew();
    await t.talk('Second question');
    const open = t.state.value.currentId;
    await t.service.delete('old');
    expect(t.state.value.currentId).toBe(open);
    expect(t.turns.messages.map((m) => m.content)).toEqual(['Second question', 'Hi there. How can I help?']);
    expect(t.listed().map((c) => c.id)).toEqual([open]);
    expect([...t.storage.records.keys()]).toEqual([open]);
  });
});

describe('switching conversations', () => {
  it('during a turn in progress: the turn stops, its rest goes nowhere, and the next prompt is the opened conversation', async () => {
    const llm = new FakeLlm();
    const gate = new Deferred();
    llm.gates.set(3, gate.promise);
    const t = await setup({ llm, stored: [saved('a', 5, 'About cats', 'Cats sleep a lot.')] });
    t.service.startNew();
    t.turns.submitText('About dogs');
    await until(() => llm.calls[0]?.produced === 3, 'reply under way');
    const dogs = t.state.value.currentId;

    expect(t.service.open('a')).toBe(true);
    expect(t.state.value.currentId).toBe('a');
    expect(t.turns.messages.map((m) => m.content)).toEqual(['About cats', 'Cats sleep a lot.']);
    gate.resolve();
    await until(() => t.turnEnds() === 1, 'the old turn ends');
    await settle();

    await t.talk('And kittens?');
    await t.service.whenStored();
    expect(llm.calls[1]?.messages.slice(1).map((m) => m.content)).toEqual(['About cats', 'Cats sleep a lot.', 'And kittens?']);
    expect(t.storage.records.get('a')?.messages.map((m) => m.content)).toEqual(['About cats', 'Cats sleep a lot.', 'And kittens?', 'Hi there. How can I help?']);
    // The interrupted conversation keeps what was said before the switch, and nothing after.
    expect(t.storage.records.get(dogs)?.messages.map((m) => m.content)).toEqual(['About dogs']);
    expect(t.state.value.conversations.find((c) => c.id === dogs)?.messages.map((m) => m.content)).toEqual(['About dogs']);
  });

  it('opening a conversation does not save it again (nor move it up the list)', async () => {
    const t = await setup({ stored: [saved('a', 5, 'One', 'Two'), saved('b', 4, 'Three', 'Four')] });
    expect(t.service.open('b')).toBe(true);
    expect(t.service.open('a')).toBe(true);
    await t.service.whenStored();
    expect(t.storage.calls.filter((c) => c.startsWith('save'))).toEqual([]);
    expect(t.listed().map((c) => [c.id, c.updatedAt])).toEqual([
      ['a', 5],
      ['b', 4],
    ]);
  });

  it('opening the open conversation leaves the turn in progress alone; an unknown or deleted one opens nothing', async () => {
    const t = await setup({ stored: [saved('a', 5, 'One', 'Two'), saved('b', 4, 'Three', 'Four')] });
    await t.service.delete('b');
    t.turns.submitText('Three?');
    expect(t.service.open('a')).toBe(true);
    expect(t.service.open('b')).toBe(false);
    expect(t.service.open('nope')).toBe(false);
    await until(() => t.turnEnds() === 1);
    expect(t.events.find((e) => e.type === 'turn-end')).toMatchObject({ outcome: 'completed' });
    expect(t.turns.messages.map((m) => m.content)).toEqual(['One', 'Two', 'Three?', 'Hi there. How can I help?']);
  });
});

describe('a new conversation', () => {
  it('opens empty in the voice loop, keeps the previous one, and is listed and saved only once something is said', async () => {
    const t = await setup();
    await t.talk('First conversation');
    const first = t.state.value.currentId;

    const fresh = t.service.startNew();
    expect(t.state.value.currentId).toBe(fresh.id);
    expect(t.turns.messages).toEqual([]);
    expect(t.listed().map((c) => c.id)).toEqual([first]);
    // A second new one replaces the empty one rather than piling up.
    const fresher = t.service.startNew();
    expect(t.state.value.conversations.map((c) => c.id)).toEqual([fresher.id, first]);
    await t.service.whenStored();
    expect([...t.storage.records.keys()]).toEqual([first]);

    await t.talk('Second conversation');
    await t.service.whenStored();
    expect(t.llm.calls[1]?.messages.slice(1)).toEqual([{ role: 'user', content: 'Second conversation' }]);
    expect(t.listed().map((c) => c.title).sort()).toEqual(['First conversation', 'Second conversation']);
    expect(t.storage.records.get(fresher.id)?.title).toBe('Second conversation');
  });
});

describe('loading the saved conversations', () => {
  it('opens the newest in the voice loop when nothing was chosen yet', async () => {
    const t = await setup({ stored: [saved('old', 1, 'Old'), saved('new', 9, 'New question', 'New answer')] });
    expect(t.state.value.loaded).toBe(true);
    expect(t.state.value.currentId).toBe('new');
    expect(t.listed().map((c) => c.id)).toEqual(['new', 'old']);
    await t.talk('Follow-up');
    expect(t.llm.calls[0]?.messages.slice(1).map((m) => m.content)).toEqual(['New question', 'New answer', 'Follow-up']);
  });

  it('keeps a conversation begun before they were read open, and a switch asked for meanwhile (a resumed handoff) happens once they are', async () => {
    const t = await setup({ stored: [saved('new', 9, 'New question', 'New answer'), saved('old', 1, 'Old question', 'Old answer')], load: false });
    await t.talk('Quick one');
    const quick = t.state.value.currentId;
    const loading = t.service.load();
    expect(t.service.open('old')).toBe(false);
    await loading;
    expect(t.state.value.currentId).toBe('old');
    expect(t.turns.messages.map((m) => m.content)).toEqual(['Old question', 'Old answer']);
    expect(t.listed().map((c) => c.id)).toEqual([quick, 'new', 'old']);
  });

  it('a conversation deleted while they were being read stays deleted', async () => {
    const t = await setup({ stored: [saved('a', 5, 'Secret')], load: false });
    const loading = t.service.load();
    await t.service.delete('a');
    await loading;
    expect(t.listed()).toEqual([]);
    expect(t.storage.records.size).toBe(0);
  });
});

describe('the device', () => {
  it('a refused save is reported while the conversation stays open; the next one clears it', async () => {
    const t = await setup();
    t.storage.failSaves = new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    await t.talk('Hello');
    await t.service.whenStored();
    expect(t.state.value.storageError).toMatch(/could not be saved on the device \(QuotaExceededError: The quota has been exceeded\.\)/);
    expect(t.listed()).toHaveLength(1);
    t.storage.failSaves = null;
    await t.talk('Again');
    await t.service.whenStored();
    expect(t.state.value.storageError).toBeUndefined();
    expect([...t.storage.records.values()][0]?.messages).toHaveLength(4);
  });

  it('says when another tab holds the storage, and when this tab must reload', async () => {
    const t = await setup();
    t.storage.tell('blocked');
    expect(t.state.value.storageError).toMatch(/open in another tab with an older version/);
    t.storage.tell('ready');
    expect(t.state.value.storageError).toBeUndefined();
    t.storage.tell('outdated');
    expect(t.state.value.storageError).toMatch(/Reload this tab/);
  });
});
