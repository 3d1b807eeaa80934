import { useStore } from 'zustand';
import { ConversationPanel } from './ConversationPanel.tsx';
import type { DashboardStore } from './dashboard-store.ts';
import { QueuePanel } from './QueuePanel.tsx';

/** The queue beside the open conversation; on a narrow screen one at a time. */
export function ConversationsView({ store }: { store: DashboardStore }) {
  const openId = useStore(store, (s) => s.openId);
  const notice = useStore(store, (s) => s.notice);
  return (
    <div className={`agent-layout${openId ? ' has-open' : ''}`}>
      {notice && (
        <div className={`agent-notice agent-notice-${notice.level}`} role={notice.level === 'error' ? 'alert' : 'status'}>
          <span>{notice.text}</span>
          <button type="button" aria-label="Dismiss message" onClick={() => store.getState().dismissNotice()}>
            ×
          </button>
        </div>
      )}
      <QueuePanel store={store} />
      <ConversationPanel store={store} />
    </div>
  );
}
