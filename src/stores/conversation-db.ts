import type { Conversation } from './conversation-types.ts';

// Conversations stay on the device, in IndexedDB. One record per conversation: they are small
// (text only) and always read and written whole.
const DB_NAME = 'hearth';
const STORE = 'conversations';

let opening: Promise<IDBDatabase> | undefined;

function openDb(): Promise<IDBDatabase> {
  opening ??= new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, 1);
    request.onupgradeneeded = () => {
      request.result.createObjectStore(STORE, { keyPath: 'id' });
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('IndexedDB is unavailable'));
  });
  return opening;
}

function completed<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('IndexedDB request failed'));
  });
}

export async function loadConversations(): Promise<Conversation[]> {
  const db = await openDb();
  const all = await completed(db.transaction(STORE).objectStore(STORE).getAll() as IDBRequest<Conversation[]>);
  return all.sort((a, b) => b.updatedAt - a.updatedAt);
}

export async function saveConversation(conversation: Conversation): Promise<void> {
  const db = await openDb();
  await completed(db.transaction(STORE, 'readwrite').objectStore(STORE).put(conversation));
}

export async function deleteConversation(id: string): Promise<void> {
  const db = await openDb();
  await completed(db.transaction(STORE, 'readwrite').objectStore(STORE).delete(id));
}
