import { describe, expect, it } from 'vitest';
import { HANDOFF_STORAGE_KEY, webHandoffStorage, type StoredHandoff } from './handoff-storage.ts';

function fakeStorage() {
  const map = new Map<string, string>();
  return {
    map,
    getItem: (key: string) => map.get(key) ?? null,
    setItem: (key: string, value: string) => void map.set(key, value),
    removeItem: (key: string) => void map.delete(key),
  };
}

const handoff: StoredHandoff = {
  conversationId: 'c1',
  token: 'secret',
  lastEventId: '17',
  state: 'assigned',
  agentName: 'Alex',
  localConversationId: 'local-1',
  outbox: [{ clientMessageId: 'm1', text: 'Hello?' }],
};

describe('the stored handoff', () => {
  it('round-trips and can be cleared', () => {
    const backing = fakeStorage();
    const storage = webHandoffStorage(backing);
    expect(storage.load()).toBeNull();
    storage.save(handoff);
    expect(storage.load()).toEqual(handoff);
    storage.save(null);
    expect(backing.map.has(HANDOFF_STORAGE_KEY)).toBe(false);
  });

  it('reads a damaged or foreign value as no handoff', () => {
    const backing = fakeStorage();
    const storage = webHandoffStorage(backing);
    backing.map.set(HANDOFF_STORAGE_KEY, '{not json');
    expect(storage.load()).toBeNull();
    backing.map.set(HANDOFF_STORAGE_KEY, JSON.stringify({ ...handoff, state: 'weird' }));
    expect(storage.load()).toBeNull();
  });

  it('keeps going when the browser refuses to store', () => {
    const storage = webHandoffStorage({
      getItem: () => null,
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
      removeItem: () => {},
    });
    expect(() => storage.save(handoff)).not.toThrow();
  });
});
