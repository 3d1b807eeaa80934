import { useMemo } from 'react';
import { useStore } from 'zustand';
import type { ConversationState } from '../protocol/conversation.ts';
import { describeReason } from '../protocol/reason-label.ts';
import type { DashboardStore } from './dashboard-store.ts';
import { ReplyForm } from './ReplyForm.tsx';
import { timeline } from './timeline.ts';
import { TimelineView } from './TimelineView.tsx';

const stateLabels: Record<ConversationState, string> = {
  bot: 'With the assistant',
  pending: 'Waiting for a person',
  assigned: 'With a person',
  resolved: 'Resolved',
  expired: 'Expired',
};

/** One conversation: why and what so far, the transcript, and what the agent can do with it. */
export function ConversationPanel({ store }: { store: DashboardStore }) {
  const openId = useStore(store, (s) => s.openId);
  const open = useStore(store, (s) => s.open);
  const me = useStore(store, (s) => s.me);
  const items = useMemo(() => (open ? timeline(open.events, me) : []), [open, me]);

  if (!openId) {
    return (
      <section className="conversation-panel conversation-empty" aria-label="Conversation">
        <p className="agent-muted">Choose a caller from the queue.</p>
      </section>
    );
  }
  const back = (
    <button type="button" className="back-to-queue" onClick={() => void store.getState().select(null)}>
      ← Queue
    </button>
  );
  if (!open) {
    return (
      <section className="conversation-panel" aria-label="Conversation">
        {back}
        <p className="agent-muted" role="status">
          Loading the conversation…
        </p>
      </section>
    );
  }
  const { conversation } = open;
  const mine = conversation.state === 'assigned' && conversation.agent?.id === me.id;
  return (
    <section className="conversation-panel" aria-label="Conversation" data-testid="conversation" data-state={conversation.state}>
      <header className="conversation-header">
        {back}
        <h2>
          {stateLabels[conversation.state]}
          {conversation.agent && conversation.state === 'assigned' && <span className="agent-muted"> · {conversation.agent.id === me.id ? 'you' : conversation.agent.name}</span>}
        </h2>
        <div className="conversation-actions">
          {conversation.state === 'pending' && (
            <button type="button" className="primary" onClick={() => void store.getState().claim(conversation.id)}>
              Claim
            </button>
          )}
          {mine && (
            <>
              <button type="button" onClick={() => void store.getState().returnToBot()}>
                Return to assistant
              </button>
              <button type="button" onClick={() => void store.getState().resolve()}>
                Resolve
              </button>
            </>
          )}
        </div>
      </header>
      <dl className="conversation-facts">
        <dt>Reason</dt>
        <dd data-testid="conversation-reason">{describeReason(conversation.reason)}</dd>
        <dt>Summary</dt>
        <dd className="conversation-summary" data-testid="conversation-summary">
          {conversation.summary || '—'}
        </dd>
      </dl>
      <TimelineView items={items} />
      {mine ? (
        <ReplyForm onSend={(text) => store.getState().reply(text)} />
      ) : conversation.state === 'assigned' ? (
        <p className="agent-muted">{conversation.agent?.name ?? 'Another agent'} is handling this conversation.</p>
      ) : null}
    </section>
  );
}
