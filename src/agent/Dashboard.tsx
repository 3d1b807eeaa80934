import { useCallback, useEffect, useMemo, useState } from 'react';
import type { Agent } from '../protocol/agent-api.ts';
import { describeReason } from '../protocol/reason-label.ts';
import type { AgentApi } from './agent-api.ts';
import { beep, titleWith, unlockAudio } from './alert.ts';
import { ConversationsView } from './ConversationsView.tsx';
import { useStore } from 'zustand';
import { createDashboardStore, type DashboardStore } from './dashboard-store.ts';
import { MetricsView } from './metrics/MetricsView.tsx';
import { useDashboardEvents } from './use-dashboard-events.ts';
import { usePresence } from './use-presence.ts';

type Section = 'conversations' | 'metrics';

const BASE_TITLE = document.title;

/** The signed-in dashboard: presence, the two sections, and the alerts for new handoffs. */
export function Dashboard({ api, agent, onSignedOut }: { api: AgentApi; agent: Agent; onSignedOut: () => void }) {
  const [section, setSection] = useState<Section>('conversations');
  const [announcement, setAnnouncement] = useState('');
  const [unseen, setUnseen] = useState(0);
  const store = useMemo(
    () =>
      createDashboardStore({
        api,
        me: agent,
        onNewHandoff: (event) => {
          beep();
          setAnnouncement(`New caller waiting: ${describeReason(event.data.reason)}.`);
          if (!document.hasFocus()) setUnseen((count) => count + 1);
        },
      }),
    [api, agent],
  );
  const signedOut = useCallback(() => onSignedOut(), [onSignedOut]);
  useDashboardEvents(store, api, signedOut);
  const [presence, setPresence] = usePresence(api, signedOut);

  useEffect(() => {
    void store.getState().refreshQueue();
    return store.subscribe((state) => state.signedOut && signedOut());
  }, [store, signedOut]);

  useEffect(() => {
    document.title = titleWith(BASE_TITLE, unseen);
  }, [unseen]);

  useEffect(() => {
    const seen = () => setUnseen(0);
    window.addEventListener('focus', seen);
    // Any click may be the first gesture after a reload: let the beep play from then on.
    window.addEventListener('pointerdown', unlockAudio);
    return () => {
      window.removeEventListener('focus', seen);
      window.removeEventListener('pointerdown', unlockAudio);
    };
  }, []);

  const logout = async () => {
    await api.logout().catch(() => undefined);
    onSignedOut();
  };

  return (
    <div className="agent-app">
      <header className="agent-header">
        <h1>Hearth agents</h1>
        <nav aria-label="Dashboard sections" className="agent-tabs">
          <button type="button" aria-current={section === 'conversations' ? 'page' : undefined} onClick={() => setSection('conversations')}>
            Conversations
          </button>
          <button type="button" aria-current={section === 'metrics' ? 'page' : undefined} onClick={() => setSection('metrics')}>
            Metrics
          </button>
        </nav>
        <div className="agent-me">
          <span>{agent.name}</span>
          <label className="agent-presence">
            <span className={`presence-dot presence-${presence}`} aria-hidden="true" />
            <span className="visually-hidden">Your status</span>
            <select value={presence} onChange={(e) => setPresence(e.target.value === 'away' ? 'away' : 'online')} data-testid="presence">
              <option value="online">Online</option>
              <option value="away">Away</option>
            </select>
          </label>
          <button type="button" onClick={() => void logout()}>
            Sign out
          </button>
        </div>
      </header>
      <LiveStatus store={store} />
      <p className="visually-hidden" role="status" aria-live="assertive" data-testid="new-handoff-announcement">
        {announcement}
      </p>
      <main className="agent-main">{section === 'conversations' ? <ConversationsView store={store} /> : <MetricsView />}</main>
    </div>
  );
}

/** Whether new handoffs arrive live; an agent should know when the dashboard has gone stale. */
function LiveStatus({ store }: { store: DashboardStore }) {
  const live = useStore(store, (state) => state.live);
  return (
    <p className="live-status" role="status" data-testid="live-status" data-live={live}>
      {live ? 'Live updates on' : 'Connecting for live updates…'}
    </p>
  );
}
