import { execFileSync } from 'node:child_process';
import { repoRoot } from './paths.ts';

/**
 * Creates an agent with the relay's own CLI (`npm run relay -- agent add`) in `dataDir`. The
 * embedded database allows one process at a time: run this before the relay starts there.
 */
export function addAgent(dataDir: string, email: string, name?: string): string {
  const out = execFileSync(process.execPath, ['--import', 'tsx', 'relay/cli.ts', 'agent', 'add', email, ...(name ? ['--name', name] : [])], {
    cwd: repoRoot,
    env: { ...process.env, RELAY_DATA_DIR: dataDir, DATABASE_URL: '' },
    encoding: 'utf8',
  });
  const password = /Password \(shown once, store it now\): (\S+)/.exec(out)?.[1];
  if (!password) throw new Error(`no password in: ${out}`);
  return password;
}

/** Logs in through the API and returns the session cookie (`name=value`) for later requests. */
export async function loginAgent(baseUrl: string, email: string, password: string): Promise<string> {
  const res = await fetch(`${baseUrl}/api/v1/agent/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (!res.ok) throw new Error(`login failed: ${res.status} ${await res.text()}`);
  const cookie = res.headers.get('set-cookie')?.split(';')[0];
  if (!cookie) throw new Error('login set no cookie');
  return cookie;
}
