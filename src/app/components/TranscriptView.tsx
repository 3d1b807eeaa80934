import { useEffect, useRef } from 'react';
import { useConversations } from '../../stores/conversation-store.ts';
import { useSession } from '../../stores/session-store.ts';
import type { Message } from '../../stores/conversation-types.ts';

function speakerOf(message: Message): string {
  if (message.role === 'user') return 'You';
  if (message.role === 'agent') return `${message.agentName ?? 'Agent'} (person)`;
  return 'Assistant';
}

export function TranscriptView() {
  const conversation = useConversations((s) => s.conversations.find((c) => c.id === s.currentId));
  const partial = useSession((s) => s.partialTranscript);
  const end = useRef<HTMLDivElement>(null);
  const messages = conversation?.messages ?? [];
  const last = messages[messages.length - 1];

  useEffect(() => {
    end.current?.scrollIntoView?.({ block: 'end' });
  }, [messages.length, last?.text, partial]);

  return (
    <section className="transcript" aria-label="Conversation">
      {/* A live region so screen readers announce what was heard and what the assistant says.
          The role sits on a wrapper: ARIA does not allow role="log" on an <ol> (axe aria-allowed-role). */}
      <div role="log" aria-live="polite" aria-relevant="additions text" data-testid="transcript">
        <ol>
          {messages.map((message) => (
            <li key={message.id} className={`message message-${message.role}`} data-role={message.role} data-testid={`message-${message.role}`}>
              <span className="speaker">{speakerOf(message)}</span>
              <p className="text">{message.text}</p>
              {message.interrupted && <span className="badge">interrupted</span>}
              {message.capped && <span className="badge">cut at the length limit</span>}
              {message.truncatedUtterance && <span className="badge">only the start was heard</span>}
            </li>
          ))}
        </ol>
      </div>
      {partial && (
        <p className="partial" data-testid="partial-transcript" aria-hidden="true">
          {partial}…
        </p>
      )}
      {messages.length === 0 && !partial && <p className="empty">Say something, or type below. Everything stays on this device.</p>}
      <div ref={end} />
    </section>
  );
}
