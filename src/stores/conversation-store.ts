import { create } from 'zustand';
import { deleteConversation, loadConversations, saveConversation } from './conversation-db.ts';
import { titleFrom, type Conversation, type Message } from './conversation-types.ts';

interface ConversationState {
  conversations: Conversation[];
  currentId: string | undefined;
  /** Set when the device refused to store a conversation (e.g. out of storage): the text stays in memory. */
  storageError: string | undefined;
  loaded: boolean;
  load(): Promise<void>;
  current(): Conversation;
  startNew(): Conversation;
  select(id: string): Conversation | undefined;
  remove(id: string): Promise<void>;
  /** Replaces the current conversation's messages (the voice loop's history) and stores it. */
  setMessages(messages: readonly Message[]): void;
}

function emptyConversation(): Conversation {
  const now = Date.now();
  return { id: crypto.randomUUID(), title: 'New conversation', createdAt: now, updatedAt: now, messages: [] };
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

  return {
    conversations: [],
    currentId: undefined,
    storageError: undefined,
    loaded: false,
    async load() {
      try {
        const stored = await loadConversations();
        // A conversation begun before the saved ones finished loading stays current.
        set((state) => {
          const fresh = state.conversations.filter((c) => c.messages.length > 0 && !stored.some((s) => s.id === c.id));
          return { conversations: [...fresh, ...stored], currentId: state.currentId ?? stored[0]?.id, loaded: true };
        });
      } catch (error) {
        set({ loaded: true, storageError: `Saved conversations could not be read (${String(error)}).` });
      }
    },
    current() {
      const { conversations, currentId } = get();
      return conversations.find((c) => c.id === currentId) ?? get().startNew();
    },
    startNew() {
      const fresh = emptyConversation();
      set((state) => ({ conversations: [fresh, ...state.conversations.filter((c) => c.messages.length > 0)], currentId: fresh.id }));
      return fresh;
    },
    select(id) {
      const found = get().conversations.find((c) => c.id === id);
      if (found) set({ currentId: id });
      return found;
    },
    async remove(id) {
      set((state) => ({
        conversations: state.conversations.filter((c) => c.id !== id),
        currentId: state.currentId === id ? undefined : state.currentId,
      }));
      await deleteConversation(id).catch(() => undefined);
    },
    setMessages(messages) {
      const current = get().current();
      const firstUser = messages.find((m) => m.role === 'user');
      const next: Conversation = {
        ...current,
        title: current.messages.length === 0 && firstUser ? titleFrom(firstUser.content) : current.title,
        updatedAt: Date.now(),
        messages: [...messages],
      };
      set((state) => ({ conversations: state.conversations.map((c) => (c.id === next.id ? next : c)) }));
      persist(next);
    },
  };
});
