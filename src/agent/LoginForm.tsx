import { useState, type FormEvent } from 'react';
import type { Agent } from '../protocol/agent-api.ts';
import { RelayError } from '../net/relay-error.ts';
import type { AgentApi } from './agent-api.ts';
import { unlockAudio } from './alert.ts';

/** Sign-in for human agents; accounts come from `npm run relay -- agent add <email>`. */
export function LoginForm({ api, onLogin }: { api: AgentApi; onLogin: (agent: Agent) => void }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  // Reports every failure itself (as the form's error line), so the form handler need not await it.
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    // A user gesture: lets the new-handoff beep play later without another click.
    unlockAudio();
    setBusy(true);
    setError(undefined);
    try {
      onLogin(await api.login(email, password));
    } catch (failure) {
      setError(
        failure instanceof RelayError && failure.status === 401
          ? 'Wrong email or password.'
          : failure instanceof RelayError && failure.status === 429
            ? failure.message
            : 'The relay could not be reached. Try again in a moment.',
      );
      setBusy(false);
    }
  };

  return (
    <main className="agent-login">
      <h1>Hearth agent dashboard</h1>
      <form onSubmit={(event) => void submit(event)} aria-label="Sign in" aria-describedby={error ? 'login-error' : undefined}>
        <label>
          Email
          <input type="email" name="email" autoComplete="username" value={email} onChange={(e) => setEmail(e.target.value)} required />
        </label>
        <label>
          Password
          <input type="password" name="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required />
        </label>
        <button type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
        {error && (
          <p id="login-error" role="alert" className="agent-error">
            {error}
          </p>
        )}
      </form>
      <p className="agent-muted">No account? An administrator creates one with <code>npm run relay -- agent add &lt;email&gt;</code>.</p>
    </main>
  );
}
