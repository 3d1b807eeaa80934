// Conversations stay on the device, in IndexedDB. One record per conversation: they are small
// (text only) and always read and written whole. Only the conversation service (src/conversations/)
// uses this.
import { openDB, type DBSchema, type IDBPDatabase, type IDBPTransaction, type StoreNames } from 'idb';
import type { ConversationStorage, StorageStatus } from './conversation-storage.ts';
import type { Conversation } from './conversation-types.ts';

export const DB_NAME = 'hearth';
const STORE = 'conversations';

interface HearthDb extends DBSchema {
  conversations: {
    key: string;
    value: Conversation;
    indexes: { 'by-updated': number };
  };
}

type Db = IDBPDatabase<HearthDb>;
type UpgradeTransaction = IDBPTransaction<HearthDb, StoreNames<HearthDb>[], 'versionchange'>;

/**
 * How the database is laid out: step i brings version i to version i + 1. A step that has been
 * released is never edited (a device may be at any version): a change is a new step at the end.
 */
const UPGRADES: ((db: Db, transaction: UpgradeTransaction) => void)[] = [
  // 1: one record per conversation, keyed by its id.
  (db) => {
    db.createObjectStore(STORE, { keyPath: 'id' });
  },
  // 2: an index by last change, so the list is read in its order.
  (_db, transaction) => {
    transaction.objectStore(STORE).createIndex('by-updated', 'updatedAt');
  },
];

export const DB_VERSION = UPGRADES.length;

const OUTDATED = 'Hearth was updated in another tab; reload this tab to save here again';

export interface ConversationDbOptions {
  /** The database's name (tests use their own). */
  name?: string;
}

/**
 * The conversations' IndexedDB database, opened on first use. Another tab of the app never makes
 * it hang: when a newer version there needs this tab's connection closed, it is closed (and the
 * service tells the user to reload); when this tab's upgrade waits for an older tab to close,
 * the service says so while it waits.
 */
export function conversationDb(options: ConversationDbOptions = {}): ConversationStorage {
  const name = options.name ?? DB_NAME;
  const listeners = new Set<(status: StorageStatus) => void>();
  const tell = (status: StorageStatus) => {
    for (const listener of listeners) listener(status);
  };
  let opening: Promise<Db> | undefined;
  let outdated = false;

  function connect(): Promise<Db> {
    if (outdated) return Promise.reject(new Error(OUTDATED));
    if (opening) return opening;
    let wasBlocked = false;
    let db: Db | undefined;
    opening = openDB<HearthDb>(name, DB_VERSION, {
      upgrade(database, oldVersion, newVersion, transaction) {
        for (let version = oldVersion; version < (newVersion ?? DB_VERSION); version += 1) UPGRADES[version]?.(database, transaction);
      },
      blocked() {
        wasBlocked = true;
        tell('blocked');
      },
      blocking() {
        // A newer version wants the database: let go of it (after the writes in flight) and say so.
        outdated = true;
        opening = undefined;
        db?.close();
        tell('outdated');
      },
      terminated() {
        // The browser closed the connection (storage cleared, ...): the next operation opens it again.
        opening = undefined;
      },
    }).then(
      (database) => {
        db = database;
        if (wasBlocked) tell('ready');
        return database;
      },
      (error: unknown) => {
        opening = undefined;
        if (error instanceof Error && error.name === 'VersionError') {
          throw new Error('the saved conversations were written by a newer version of Hearth; reload this tab to update it');
        }
        throw error;
      },
    );
    return opening;
  }

  return {
    async loadAll() {
      const db = await connect();
      const oldestFirst = await db.getAllFromIndex(STORE, 'by-updated');
      return oldestFirst.reverse();
    },
    async save(conversation) {
      const db = await connect();
      const transaction = db.transaction(STORE, 'readwrite');
      await Promise.all([transaction.store.put(conversation), transaction.done]);
    },
    async delete(id) {
      const db = await connect();
      const transaction = db.transaction(STORE, 'readwrite');
      await Promise.all([transaction.store.delete(id), transaction.done]);
    },
    onStatus(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
