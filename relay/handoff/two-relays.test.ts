import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addAgent } from '../agents/accounts.ts';
import { migrate } from '../store/migrate.ts';
import { dropSchema, openPostgres } from '../store/postgres.ts';
import { testDatabaseUrl } from '../store/testing.ts';
import type { Db } from '../store/types.ts';
import { listen } from '../test-support/raw-http.ts';
import { handoffApp, validHandoff } from '../test-support/handoff-harness.ts';
import { SseReader } from '../test-support/sse-reader.ts';
import { makeDist } from '../test-support/temp-dirs.ts';
import { AGENT_SESSION_COOKIE } from '../../src/protocol/api.ts';

// Two relay processes on one PostgreSQL: what one writes, the other's subscribers see, and
// they share one rate limit. The second relay is a real child process started by relay/main.ts.

const url = testDatabaseUrl();
const root = fileURLToPath(new URL('../..', import.meta.url));

function startRelay(env: Record<string, string>): Promise<{ child: ChildProcess; base: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'relay/main.ts'], {
      cwd: root,
      env: { ...process.env, PORT: '0', HOST: '127.0.0.1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const timer = setTimeout(() => reject(new Error(`relay did not start:\n${out}`)), 60_000);
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const port = /Voice app: http:\/\/localhost:(\d+)\//.exec(out)?.[1];
      if (port) {
        clearTimeout(timer);
        resolve({ child, base: `http://127.0.0.1:${port}` });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => reject(new Error(`relay exited with ${code}:\n${out}`)));
  });
}

describe.skipIf(!url)('two relay processes on one PostgreSQL', () => {
  const schema = `relay_test_${randomBytes(6).toString('hex')}`;
  const schemaUrl = `${url}${url?.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
  let db: Db;
  let other: { child: ChildProcess; base: string };
  let here: Awaited<ReturnType<typeof listen>>;

  beforeAll(async () => {
    // This process's relay, on the same schema through the same kind of URL as the child's.
    db = await openPostgres({ connectionString: url!, schema });
    await db.close();
    db = await openPostgres({ connectionString: schemaUrl });
    await migrate(db);
    // Both trust X-Forwarded-For, so the rate limit test can use an address of its own.
    other = await startRelay({ DATABASE_URL: schemaUrl, RELAY_DIST_DIR: makeDist(), RELAY_TRUST_PROXY: '1' });
    here = await listen(handoffApp(db, { heartbeatMs: 60_000, trustProxy: true }).app);
  }, 90_000);

  afterAll(async () => {
    other?.child.kill('SIGTERM');
    await here?.close();
    await db?.close();
    if (url) await dropSchema(url, schema);
  });

  it('delivers events written through one relay to subscribers of the other', async () => {
    const { email, password } = await (async () => {
      const email = `two-${Date.now()}@example.com`;
      const { password } = await addAgent(db, { email, name: 'Two' });
      return { email, password };
    })();

    // The agent's dashboard stream is on this relay...
    const login = await fetch(`${here.url}/api/v1/agent/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: here.url },
      body: JSON.stringify({ email, password }),
    });
    expect(login.status).toBe(200);
    const cookie = `${AGENT_SESSION_COOKIE}=${/relay_agent_session=([^;]+)/.exec(login.headers.get('set-cookie') ?? '')![1]}`;
    const dashboard = new SseReader(await fetch(`${here.url}/api/v1/agent/events`, { headers: { Cookie: cookie } }));
    expect((await dashboard.next()).event).toBe('ready');

    // ...the caller's device talks to the other one.
    const created = await fetch(`${other.base}/api/v1/handoffs`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(validHandoff),
    });
    expect(created.status).toBe(201);
    const { conversation, token } = (await created.json()) as { conversation: { id: string }; token: string };
    const startedAt = Date.now();
    const seen = await dashboard.until((e) => e.event === 'state', 3_000);
    expect(seen.map((e) => e.event)).toEqual(['handoff', 'state']);
    expect(Date.now() - startedAt).toBeLessThan(1_000);

    const device = new SseReader(await fetch(`${other.base}/api/v1/conversations/${conversation.id}/events`, { headers: { authorization: `Bearer ${token}` } }));
    await device.until((e) => e.event === 'ready');

    const act = (path: string, body: unknown = {}) =>
      fetch(`${here.url}/api/v1/agent/conversations/${conversation.id}/${path}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Origin: here.url, Cookie: cookie },
        body: JSON.stringify(body),
      });
    expect((await act('claim')).status).toBe(200);
    expect((await act('messages', { text: 'Hello from the other relay' })).status).toBe(201);
    // The child polls only every 15 s: arriving within 2 s means NOTIFY carried it.
    const live = await device.until((e) => e.event === 'message', 2_000);
    expect(JSON.parse(live.at(-1)!.data)).toMatchObject({ data: { author: 'agent', text: 'Hello from the other relay' } });
    await device.close();
    await dashboard.close();
  }, 30_000);

  it('shares one rate limit: login attempts through either relay count against one allowance', async () => {
    // The default login limit is 10 a minute per address; alternating relays, each process on its
    // own would allow 10, so 14 attempts would all reach the password check.
    const attempt = (base: string, i: number) =>
      fetch(`${base}/api/v1/agent/login`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Origin: base, 'X-Forwarded-For': '203.0.113.7' },
        body: JSON.stringify({ email: `nobody-${i}@example.com`, password: 'not the password' }),
      });
    const statuses: number[] = [];
    for (let i = 0; i < 14; i++) statuses.push((await attempt(i % 2 ? other.base : here.url, i)).status);
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
    expect(statuses.slice(10)).toEqual([429, 429, 429, 429]);
    // Another address is not affected, on either relay.
    const fresh = await fetch(`${other.base}/api/v1/agent/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: other.base, 'X-Forwarded-For': '203.0.113.8' },
      body: JSON.stringify({ email: 'nobody@example.com', password: 'x' }),
    });
    expect(fresh.status).toBe(401);
  }, 60_000);
});
