// What must survive a page reload during a handoff: the conversation and its token, the last
// event handled (the stream resumes after it), and the caller's words not yet delivered.
import { z } from 'zod';
import { ConversationStateSchema } from '../protocol/conversation.ts';

const OutgoingSchema = z.object({ clientMessageId: z.string(), text: z.string() });
export type OutgoingMessage = z.infer<typeof OutgoingSchema>;

const StoredHandoffSchema = z.object({
  conversationId: z.string(),
  token: z.string(),
  lastEventId: z.string().nullable(),
  /** The relay's state as last seen: `bot` keeps the conversation for asking again. */
  state: ConversationStateSchema,
  agentName: z.string().nullable(),
  /** The device conversation (conversation store id) the handoff belongs to. */
  localConversationId: z.string(),
  outbox: z.array(OutgoingSchema),
});
export type StoredHandoff = z.infer<typeof StoredHandoffSchema>;

export interface HandoffStorage {
  load(): StoredHandoff | null;
  save(handoff: StoredHandoff | null): void;
}

export const HANDOFF_STORAGE_KEY = 'hearth-handoff';

/** localStorage: small, synchronous (written before the next event is handled), per origin. */
export function webHandoffStorage(storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> = localStorage): HandoffStorage {
  return {
    load() {
      try {
        const raw = storage.getItem(HANDOFF_STORAGE_KEY);
        if (!raw) return null;
        const parsed = StoredHandoffSchema.safeParse(JSON.parse(raw));
        return parsed.success ? parsed.data : null;
      } catch {
        return null;
      }
    },
    save(handoff) {
      try {
        if (handoff) storage.setItem(HANDOFF_STORAGE_KEY, JSON.stringify(handoff));
        else storage.removeItem(HANDOFF_STORAGE_KEY);
      } catch {
        // Storage full or blocked: the handoff goes on, it just will not survive a reload.
      }
    },
  };
}

/** For tests and for browsers without storage. */
export function memoryHandoffStorage(initial: StoredHandoff | null = null): HandoffStorage & { current: StoredHandoff | null } {
  return {
    current: initial ? structuredClone(initial) : null,
    load() {
      return this.current ? structuredClone(this.current) : null;
    },
    save(handoff) {
      this.current = handoff ? structuredClone(handoff) : null;
    },
  };
}
