import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { ConversationService } from './conversation-service.ts';
import type { StorageStatus } from './conversation-storage.ts';
import { stateCell } from './testing.ts';
import { conversationDb, DB_VERSION } from './conversation-db.ts';
import type { Conversation } from './conversation-types.ts';

let dbCount = 0;
/** Each test its own database (fake-indexeddb keeps them for the whole file). */
const freshName = () => `hearth-test-${(dbCount += 1)}`;

function conversation(id: string, updatedAt: number, text: string): Conversation {
  return {
    id,
    title: text,
    createdAt: updatedAt - 10,
    updatedAt,
    messages: [
      { id: `${id}-1`, turnId: `${id}-t`, role: 'user', content: text, createdAt: updatedAt - 10, source: 'text' },
      { id: `${id}-2`, turnId: `${id}-t`, role: 'assistant', content: `About ${text}`, createdAt: updatedAt, interrupted: true },
    ],
  };
}

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB request failed'));
  });
}

/** A version-1 database exactly as the app wrote it before `idb` (stores/conversation-db.ts at 3084a79). */
async function writeVersion1(name: string, records: Conversation[]): Promise<IDBDatabase> {
  const open = indexedDB.open(name, 1);
  open.onupgradeneeded = () => {
    open.result.createObjectStore('conversations', { keyPath: 'id' });
  };
  const db = await request(open);
  const tx = db.transaction('conversations', 'readwrite');
  for (const record of records) tx.objectStore('conversations').put(record);
  await new Promise((resolve, reject) => {
    tx.oncomplete = resolve;
    tx.onerror = () => reject(tx.error ?? new Error('IndexedDB transaction failed'));
  });
  return db;
}

/** Opens the database at whatever version it has (as a page reading it would). */
async function rawRead(name: string): Promise<{ version: number; byUpdated: boolean; records: Conversation[] }> {
  const db = await request(indexedDB.open(name));
  const store = db.transaction('conversations').objectStore('conversations');
  const result = { version: db.version, byUpdated: store.indexNames.contains('by-updated'), records: await request(store.getAll() as IDBRequest<Conversation[]>) };
  db.close();
  return result;
}

describe('the conversations database', () => {
  it('upgrades a version-1 database as the previous code wrote it, losing no conversation', async () => {
    const name = freshName();
    const before = [conversation('a', 100, 'first'), conversation('b', 300, 'newest'), conversation('c', 200, 'middle')];
    (await writeVersion1(name, before)).close();

    const storage = conversationDb({ name });
    const loaded = await storage.loadAll();
    expect(loaded.map((c) => c.id)).toEqual(['b', 'c', 'a']);
    expect(loaded.find((c) => c.id === 'a')).toEqual(before[0]);

    const after = await rawRead(name);
    expect(DB_VERSION).toBeGreaterThan(1);
    expect(after.version).toBe(DB_VERSION);
    expect(after.byUpdated).toBe(true);
    expect(after.records.sort((x, y) => x.id.localeCompare(y.id))).toEqual(before.sort((x, y) => x.id.localeCompare(y.id)));

    // And the service shows them, the newest open.
    const state = stateCell();
    const service = new ConversationService({ storage: conversationDb({ name }), state });
    await service.load();
    expect(state.value.currentId).toBe('b');
    expect(state.value.conversations.filter((c) => c.messages.length > 0).map((c) => c.title)).toEqual(['newest', 'middle', 'first']);
  });

  it('creates the database on a first visit, and saves, replaces and deletes for good', async () => {
    const name = freshName();
    const storage = conversationDb({ name });
    expect(await storage.loadAll()).toEqual([]);
    await storage.save(conversation('a', 1, 'one'));
    await storage.save(conversation('b', 2, 'two'));
    await storage.save({ ...conversation('a', 3, 'one'), title: 'renamed' });
    expect((await storage.loadAll()).map((c) => [c.id, c.title])).toEqual([
      ['a', 'renamed'],
      ['b', 'two'],
    ]);
    await storage.delete('a');
    expect((await rawRead(name)).records.map((c) => c.id)).toEqual(['b']);
  });

  it('waits for an older tab that keeps the database open, says so, and carries on once it closes', async () => {
    const name = freshName();
    const olderTab = await writeVersion1(name, [conversation('a', 1, 'kept')]);
    const storage = conversationDb({ name });
    const statuses: StorageStatus[] = [];
    storage.onStatus?.((status) => statuses.push(status));

    let settled = false;
    const loading = storage.loadAll().finally(() => (settled = true));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(statuses).toEqual(['blocked']);
    expect(settled).toBe(false);

    olderTab.close();
    expect((await loading).map((c) => c.id)).toEqual(['a']);
    expect(statuses).toEqual(['blocked', 'ready']);
  });

  it('lets go at once when a newer version opens in another tab, and says this tab must reload', async () => {
    const name = freshName();
    const storage = conversationDb({ name });
    const statuses: StorageStatus[] = [];
    storage.onStatus?.((status) => statuses.push(status));
    await storage.save(conversation('a', 1, 'kept'));

    const newer = indexedDB.open(name, DB_VERSION + 1);
    let blocked = false;
    newer.onblocked = () => (blocked = true);
    const newerDb = await request(newer);
    expect(blocked).toBe(false);
    expect(statuses).toEqual(['outdated']);
    newerDb.close();

    await expect(storage.save(conversation('b', 2, 'lost'))).rejects.toThrow(/reload this tab/);
    expect((await rawRead(name)).records.map((c) => c.id)).toEqual(['a']);
  });

  it('names a database written by a newer version of the app rather than failing obscurely', async () => {
    const name = freshName();
    (await request(indexedDB.open(name, DB_VERSION + 5))).close();
    await expect(conversationDb({ name }).loadAll()).rejects.toThrow(/newer version of Hearth/);
  });
});
