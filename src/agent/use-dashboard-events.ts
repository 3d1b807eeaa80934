import { useEffect } from 'react';
import { ConversationStream } from '../net/event-stream.ts';
import type { AgentApi } from './agent-api.ts';
import type { DashboardStore } from './dashboard-store.ts';

/**
 * Keeps the dashboard live: the relay's agent event stream (every conversation's events),
 * resumed after drops without repeats. After each (re)connect the queue is read again, which
 * covers anything that happened while the stream was down.
 */
export function useDashboardEvents(store: DashboardStore, api: AgentApi, onSignedOut: () => void): void {
  useEffect(() => {
    const stream = new ConversationStream({
      url: (lastEventId) => api.eventsUrl(lastEventId),
      lastEventId: null,
      onEvent: (event) => store.getState().receive(event),
      onReady: () => store.getState().resync(),
      // An error closes the stream when the session is gone (401); otherwise it reopens itself.
      onBroken: () => {
        store.getState().streamBroken();
        void api.me().then((agent) => agent ?? onSignedOut(), () => undefined);
      },
    }).open();
    const online = () => stream.reconnect();
    window.addEventListener('online', online);
    return () => {
      window.removeEventListener('online', online);
      stream.close();
    };
  }, [store, api, onSignedOut]);
}
