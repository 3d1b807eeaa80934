import { conversations as service, useConversations } from '../../conversations/index.ts';

/** The saved conversations: open one, start a new one, delete one (everywhere, for good). */
export function ConversationList({ onOpened }: { onOpened: () => void }) {
  const conversations = useConversations((s) => s.conversations);
  const currentId = useConversations((s) => s.currentId);
  return (
    <nav className="conversation-list" aria-label="Conversations">
      <button
        type="button"
        className="new-conversation primary"
        onClick={() => {
          service.startNew();
          onOpened();
        }}
      >
        New conversation
      </button>
      <ul>
        {conversations
          .filter((c) => c.messages.length > 0)
          .map((c) => (
            <li key={c.id} className={c.id === currentId ? 'current' : undefined}>
              <button type="button" aria-current={c.id === currentId ? 'true' : undefined} onClick={() => {
                  service.open(c.id);
                  onOpened();
                }}
              >
                {c.title}
              </button>
              <button type="button" className="delete ghost icon-button" aria-label={`Delete conversation “${c.title}”`} onClick={() => void service.delete(c.id)}>
                ×
              </button>
            </li>
          ))}
      </ul>
    </nav>
  );
}
