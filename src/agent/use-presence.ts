import { useEffect, useState } from 'react';
import { RelayError } from '../net/relay-error.ts';
import type { AgentApi } from './agent-api.ts';

/** The relay counts an agent not heard from in 60 s as offline; this says "still here" every 20 s. */
export const HEARTBEAT_MS = 20_000;

export type PresenceStatus = 'online' | 'away';

/** The agent's presence, sent on change and as a heartbeat while the dashboard is open. */
export function usePresence(api: AgentApi, onSignedOut: () => void): [PresenceStatus, (status: PresenceStatus) => void] {
  const [status, setStatus] = useState<PresenceStatus>('online');
  useEffect(() => {
    const send = (): void => {
      api.presence(status).catch((error: unknown) => {
        if (error instanceof RelayError && error.status === 401) onSignedOut();
      });
    };
    send();
    const timer = setInterval(send, HEARTBEAT_MS);
    return () => clearInterval(timer);
  }, [api, status, onSignedOut]);
  return [status, setStatus];
}
