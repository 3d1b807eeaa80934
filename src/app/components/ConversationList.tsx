import { useConversations } from '../../stores/conversation-store.ts';

export function ConversationList({ onSwitch }: { onSwitch: () => void }) {
  const conversations = useConversations((s) => s.conversations);
  const currentId = useConversations((s) => s.currentId);
  const { startNew, select, remove } = useConversations.getState();
  return (
    <nav className="conversation-list" aria-label="Conversations">
      <button
        type="button"
        className="new-conversation"
        onClick={() => {
          onSwitch();
          startNew();
        }}
      >
        New conversation
      </button>
      <ul>
        {conversations
          .filter((c) => c.messages.length > 0)
          .map((c) => (
            <li key={c.id} className={c.id === currentId ? 'current' : undefined}>
              <button
                type="button"
                aria-current={c.id === currentId ? 'true' : undefined}
                onClick={() => {
                  onSwitch();
                  select(c.id);
                }}
              >
                {c.title}
              </button>
              <button type="button" className="delete" aria-label={`Delete conversation “${c.title}”`} onClick={() => void remove(c.id)}>
                ×
              </button>
            </li>
          ))}
      </ul>
    </nav>
  );
}
