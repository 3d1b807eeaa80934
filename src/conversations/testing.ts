// Fakes for unit tests of the conversation service: a storage in memory that a test can hold or
// break, and a plain state cell.
import type { Conversation } from './conversation-types.ts';
import type { ConversationsState, StateCell } from './conversation-service.ts';
import type { ConversationStorage, StorageStatus } from './conversation-storage.ts';

export class MemoryStorage implements ConversationStorage {
  readonly records = new Map<string, Conversation>();
  readonly calls: string[] = [];
  /** Each write waits for this when set (an IndexedDB busy with another tab, a slow disk). */
  gate: Promise<void> | undefined;
  failSaves: Error | null = null;
  failDeletes: Error | null = null;
  private readonly listeners = new Set<(status: StorageStatus) => void>();

  constructor(initial: Conversation[] = []) {
    for (const conversation of initial) this.records.set(conversation.id, structuredClone(conversation));
  }

  async loadAll(): Promise<Conversation[]> {
    this.calls.push('loadAll');
    return [...this.records.values()].map((c) => structuredClone(c)).sort((a, b) => b.updatedAt - a.updatedAt);
  }

  async save(conversation: Conversation): Promise<void> {
    this.calls.push(`save ${conversation.id}`);
    if (this.gate) await this.gate;
    if (this.failSaves) throw this.failSaves;
    this.records.set(conversation.id, structuredClone(conversation));
  }

  async delete(id: string): Promise<void> {
    this.calls.push(`delete ${id}`);
    if (this.gate) await this.gate;
    if (this.failDeletes) throw this.failDeletes;
    this.records.delete(id);
  }

  onStatus(listener: (status: StorageStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  tell(status: StorageStatus): void {
    for (const listener of this.listeners) listener(status);
  }

  /** Everything stored, as one string (to look for text that must be gone). */
  dump(): string {
    return JSON.stringify([...this.records.values()]);
  }
}

export function stateCell(): StateCell<ConversationsState> & { value: ConversationsState } {
  const cell = {
    value: { conversations: [], currentId: '', storageError: undefined, loaded: false } as ConversationsState,
    getState: () => cell.value,
    setState: (partial: Partial<ConversationsState>) => {
      cell.value = { ...cell.value, ...partial };
    },
  };
  return cell;
}
