import { useEffect, useRef, type ReactNode } from 'react';
import { useConversations } from '../../conversations/index.ts';
import { useSession } from '../../stores/session-store.ts';
import type { Message } from '../../conversations/conversation-types.ts';
import { ModelProgress } from './ModelProgress.tsx';

function speakerOf(message: Message): string {
  if (message.role === 'user') return 'You';
  if (message.agentName) return `${message.agentName} (a person)`;
  return 'Assistant';
}

function MessageItem({ message }: { message: Message }) {
  const kind = message.role === 'user' ? 'user' : message.agentName ? 'agent' : 'assistant';
  return (
    <li className={`message message-${kind}`} data-testid={`message-${kind}`}>
      <span className="speaker">{speakerOf(message)}</span>
      <p className="text">{message.content}</p>
      {message.interrupted && <span className="badge">interrupted</span>}
      {message.capped && <span className="badge">cut at the length limit</span>}
      {message.failed && <span className="badge">incomplete</span>}
      {message.utteranceCapped && <span className="badge">only the start was heard</span>}
    </li>
  );
}

/** The conversation so far, what is being said and written now, and `children` (the first-download card) below. */
export function TranscriptView({ children }: { children?: ReactNode }) {
  const conversation = useConversations((s) => s.conversations.find((c) => c.id === s.currentId));
  const partial = useSession((s) => s.partialTranscript);
  const liveReply = useSession((s) => s.liveReply);
  const end = useRef<HTMLDivElement>(null);
  const messages = conversation?.messages ?? [];

  useEffect(() => {
    end.current?.scrollIntoView?.({ block: 'end' });
  }, [messages.length, liveReply?.text, partial]);

  return (
    <section className="transcript" aria-label="Conversation">
      {/* A live region so screen readers announce what was heard and what the assistant says. */}
      <ModelProgress />
      <div role="log" aria-live="polite" aria-relevant="additions text">
      <ol data-testid="transcript">
        {messages.map((message) => (
          <MessageItem key={message.id} message={message} />
        ))}
        {liveReply && (
          <li className="message message-assistant" data-testid="live-reply">
            <span className="speaker">Assistant</span>
            {/* Written ahead of the voice: the words not yet spoken are shown fainter. */}
            <p className="text">
              {liveReply.text ? (
                <>
                  {liveReply.text.slice(0, liveReply.spokenChars)}
                  <span className="unspoken">{liveReply.text.slice(liveReply.spokenChars)}</span>
                </>
              ) : (
                '…'
              )}
            </p>
          </li>
        )}
      </ol>
      </div>
      {/* Outside the log and not live: it changes every second or so, and screen readers hear
          the final transcript once it lands in the log. Still readable by browsing. */}
      {partial && (
        <div
          className="message message-user message-partial"
          data-testid="partial-transcript"
          role="group"
          aria-label="What you are saying (in progress)"
          aria-live="off"
        >
          <span className="speaker">You, speaking…</span>
          <p className="text">{partial}…</p>
        </div>
      )}
      {messages.length === 0 && !partial && !liveReply && <p className="empty">Say something, or type below. Everything stays on this device.</p>}
      {children}
      <div ref={end} />
    </section>
  );
}
