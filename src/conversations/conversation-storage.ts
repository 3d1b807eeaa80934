import type { Conversation } from './conversation-types.ts';

/**
 * What the storage tells the service about its connection, for the user:
 * `blocked`: opening waits for another tab with an older version of the app to close;
 * `ready`: it is open (again) after being blocked;
 * `outdated`: another tab opened a newer version, so this tab let go of the storage (it must
 * reload to save again).
 */
export type StorageStatus = 'blocked' | 'ready' | 'outdated';

/** Where conversations are kept between visits (IndexedDB in the app: conversation-db.ts). */
export interface ConversationStorage {
  /** Every stored conversation, the most recently updated first. */
  loadAll(): Promise<Conversation[]>;
  /** Resolves once the conversation is durably written. */
  save(conversation: Conversation): Promise<void>;
  /** Resolves once the conversation is gone from the device. */
  delete(id: string): Promise<void>;
  /** Connection changes the user must hear of; returns the unsubscribe function. */
  onStatus?(listener: (status: StorageStatus) => void): () => void;
}
