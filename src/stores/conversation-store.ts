// The conversations' state for the UI. It changes only through the conversation service
// (src/conversations/): opening, starting, deleting and recording conversations go there.
export { conversations, useConversations, type ConversationStore } from '../conversations/index.ts';
