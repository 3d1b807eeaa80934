import { create } from 'zustand';
import { deleteConversation, loadConversations, saveConversation } from './conversation-db.ts';
import { newId, titleFrom, type Conversation, type Message } from './conversation-types.ts';

interface ConversationState {
  conversations: Conversation[];
  currentId: string | undefined;
  /** Set when the device refused to store a conversation (e.g. out of storage): the text stays in memory. */
  storageError: string | undefined;
  loaded: boolean;
  load(): Promise<void>;
  current(): Conversation;
  startNew(): void;
  select(id: string): void;
  remove(id: string): Promise<void>;
  /** Adds a message to the current conversation and stores it. */
  append(message: Omit<Message, 'id' | 'createdAt'> & { id?: string }): string;
  /** Updates a message in memory (streaming text); `persist` stores the conversation. */
  update(id: string, patch: Partial<Message>, persist?: boolean): void;
  /** Removes a message that turned out to hold nothing (e.g. a reply aborted before its first word). */
  drop(id: string): void;
}

function emptyConversation(): Conversation {
  const now = Date.now();
  return { id: newId(), title: 'New conversation', createdAt: now, updatedAt: now, messages: [] };
}

export const useConversations = create<ConversationState>()((set, get) => {
  const persist = (conversation: Conversation) => {
    if (conversation.messages.length === 0) return;
    saveConversation(conversation).then(
      () => get().storageError && set({ storageError: undefined }),
      (error: unknown) =>
        set({
          storageError: `This conversation could not be saved on the device (${String(error)}). It stays open; free some storage to keep it.`,
        }),
    );
  };

  const mutateCurrent = (change: (c: Conversation) => Conversation, store: boolean) => {
    const current = get().current();
    const next = change(current);
    set((state) => ({
      conversations: state.conversations.some((c) => c.id === next.id)
        ? state.conversations.map((c) => (c.id === next.id ? next : c))
        : [next, ...state.conversations],
      currentId: next.id,
    }));
    if (store) persist(next);
  };

  return {
    conversations: [],
    currentId: undefined,
    storageError: undefined,
    loaded: false,
    async load() {
      try {
        const conversations = await loadConversations();
        set({ conversations, currentId: conversations[0]?.id, loaded: true });
      } catch (error) {
        set({ loaded: true, storageError: `Saved conversations could not be read (${String(error)}).` });
      }
    },
    current() {
      const { conversations, currentId } = get();
      const found = conversations.find((c) => c.id === currentId);
      if (found) return found;
      const fresh = emptyConversation();
      set({ conversations: [fresh, ...conversations], currentId: fresh.id });
      return fresh;
    },
    startNew() {
      const fresh = emptyConversation();
      set((state) => ({ conversations: [fresh, ...state.conversations.filter((c) => c.messages.length > 0)], currentId: fresh.id }));
    },
    select(id) {
      set({ currentId: id });
    },
    async remove(id) {
      set((state) => ({
        conversations: state.conversations.filter((c) => c.id !== id),
        currentId: state.currentId === id ? undefined : state.currentId,
      }));
      await deleteConversation(id).catch(() => undefined);
    },
    append(partial) {
      const message: Message = { ...partial, id: partial.id ?? newId(), createdAt: Date.now() };
      mutateCurrent(
        (c) => ({
          ...c,
          title: c.messages.length === 0 && message.role === 'user' ? titleFrom(message.text) : c.title,
          updatedAt: message.createdAt,
          messages: [...c.messages, message],
        }),
        true,
      );
      return message.id;
    },
    update(id, patch, store = false) {
      mutateCurrent((c) => ({ ...c, updatedAt: Date.now(), messages: c.messages.map((m) => (m.id === id ? { ...m, ...patch } : m)) }), store);
    },
    drop(id) {
      mutateCurrent((c) => ({ ...c, messages: c.messages.filter((m) => m.id !== id) }), true);
    },
  };
});
