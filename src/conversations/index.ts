// The app's conversations: one service over the device's IndexedDB, and the store the UI reads.
// The list, the voice loop (voice-session.ts connects the turn manager), the handoff and the
// storage all go through `conversations`; the store only shows its state.
import { create } from 'zustand';
import { conversationDb } from './conversation-db.ts';
import type { Message } from './conversation-types.ts';
import { ConversationService, type ConversationsState } from './conversation-service.ts';

export interface ConversationStore extends ConversationsState {
  /** Reads the saved conversations (the page calls it once at start). */
  load(): Promise<void>;
  /** The turn manager's history changed (turn-event-binding.ts): `conversations.record`. */
  setMessages(messages: readonly Message[]): void;
}

export const useConversations = create<ConversationStore>()(() => ({
  conversations: [],
  currentId: '',
  storageError: undefined,
  loaded: false,
  load: () => conversations.load(),
  setMessages: (messages) => conversations.record(messages),
}));

export const conversations: ConversationService = new ConversationService({ storage: conversationDb(), state: useConversations });

export { ConversationService, type ConversationsState, type HistoryHolder } from './conversation-service.ts';
export type { ConversationStorage, StorageStatus } from './conversation-storage.ts';
