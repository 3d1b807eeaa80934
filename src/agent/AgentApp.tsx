import { useState, type FormEvent } from 'react';

/** Sign-in for human agents; accounts come from `npm run relay -- agent add <email>`. */
export function AgentApp() {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [message, setMessage] = useState<string>();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const response = await fetch('/api/v1/agent/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    }).catch(() => undefined);
    if (!response) setMessage('The relay could not be reached.');
    else if (!response.ok) setMessage('Wrong email or password.');
    else setMessage('Signed in.');
  };

  return (
    <div className="app">
      <header className="app-header">
        <h1>Hearth agent dashboard</h1>
      </header>
      <main>
        <form className="settings" onSubmit={submit} aria-label="Sign in">
          <label>
            Email
            <input type="email" autoComplete="username" value={email} onChange={(e) => setEmail(e.target.value)} required />
          </label>
          <label>
            Password
            <input type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required />
          </label>
          <button type="submit">Sign in</button>
          {message && <p role="status">{message}</p>}
        </form>
      </main>
    </div>
  );
}
