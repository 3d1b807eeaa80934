import { useEffect, useState } from 'react';
import { useStore } from 'zustand';
import type { Conversation } from '../protocol/conversation.ts';
import { reasonLabel } from '../protocol/reason-label.ts';
import type { DashboardStore } from './dashboard-store.ts';
import { formatWait } from './wait-time.ts';

/** Re-renders every second so wait times tick between queue updates. */
function useNow(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  return now;
}

function QueueEntry({ conversation, waitMs, store, unread }: { conversation: Conversation; waitMs?: number; store: DashboardStore; unread?: boolean }) {
  const openId = useStore(store, (s) => s.openId);
  const pending = conversation.state === 'pending';
  return (
    <li
      className={`queue-item${openId === conversation.id ? ' is-open' : ''}`}
      data-testid={pending ? 'queue-item' : 'mine-item'}
      data-conversation-id={conversation.id}
      data-created-at={conversation.createdAt}
    >
      <button type="button" className="queue-open" onClick={() => void store.getState().select(conversation.id)} aria-current={openId === conversation.id ? 'true' : undefined}>
        <span className="queue-reason">{reasonLabel(conversation.reason)}</span>
        {conversation.reason.detail && <span className="queue-detail">{conversation.reason.detail}</span>}
        {waitMs !== undefined && <span className="queue-wait">waiting {formatWait(waitMs)}</span>}
        {unread && <span className="queue-unread">new message</span>}
      </button>
      {pending && (
        <button type="button" className="queue-claim" onClick={() => void store.getState().claim(conversation.id)}>
          Claim
        </button>
      )}
    </li>
  );
}

/** Callers waiting for a person (longest first) and the conversations this agent holds. */
export function QueuePanel({ store }: { store: DashboardStore }) {
  const queue = useStore(store, (s) => s.queue);
  const receivedAt = useStore(store, (s) => s.queueReceivedAt);
  const unread = useStore(store, (s) => s.unread);
  const now = useNow();
  const since = Math.max(0, now - receivedAt);
  return (
    <section className="queue-panel" aria-label="Queue">
      <h2>
        Waiting <span className="queue-count">{queue?.pending.length ?? 0}</span>
      </h2>
      {queue === null ? (
        <p className="agent-muted">Loading the queue…</p>
      ) : queue.pending.length === 0 ? (
        <p className="agent-muted">Nobody is waiting.</p>
      ) : (
        <ul className="queue-list" data-testid="queue">
          {queue.pending.map((item) => (
            <QueueEntry key={item.id} conversation={item} waitMs={item.waitMs + since} store={store} />
          ))}
        </ul>
      )}
      <h2>Yours</h2>
      {queue && queue.mine.length > 0 ? (
        <ul className="queue-list" data-testid="mine">
          {queue.mine.map((item) => (
            <QueueEntry key={item.id} conversation={item} store={store} unread={unread.includes(item.id)} />
          ))}
        </ul>
      ) : (
        <p className="agent-muted">None yet: claim a waiting caller.</p>
      )}
      {queue && (
        <p className="agent-muted queue-agents">
          Agents online: {queue.agents.online}, away: {queue.agents.away}
        </p>
      )}
    </section>
  );
}
