// Moved to src/conversations/conversation-types.ts (the conversation room owns its types); this
// re-export stays only for importers in src/app until they import from src/conversations.
export type { Conversation, Message } from '../conversations/conversation-types.ts';
