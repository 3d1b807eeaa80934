import { useCallback, useEffect, useMemo, useState } from 'react';
import type { Agent } from '../protocol/agent-api.ts';
import { agentApi, type AgentApi } from './agent-api.ts';
import { Dashboard } from './Dashboard.tsx';
import { LoginForm } from './LoginForm.tsx';

/** The agent dashboard at /agent: the sign-in form, or the dashboard once signed in. */
export function AgentApp({ api: given }: { api?: AgentApi }) {
  const api = useMemo(() => given ?? agentApi(), [given]);
  // undefined: still asking the relay whether the session cookie is valid.
  const [agent, setAgent] = useState<Agent | null | undefined>(undefined);

  useEffect(() => {
    let current = true;
    api.me().then(
      (me) => current && setAgent(me),
      () => current && setAgent(null),
    );
    return () => {
      current = false;
    };
  }, [api]);

  const signedOut = useCallback(() => setAgent(null), []);

  if (agent === undefined) {
    return (
      <main className="agent-login">
        <p role="status">Checking your session…</p>
      </main>
    );
  }
  if (agent === null) return <LoginForm api={api} onLogin={setAgent} />;
  return <Dashboard api={api} agent={agent} onSignedOut={signedOut} />;
}
